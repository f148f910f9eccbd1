// Runs in Node (Vitest): what the tracking tests track — known-answer ONNX models made with /usr/bin/python3
// and the `onnx` package (tests/fixtures/models/make_test_model.py), and small videos of a white square moving
// on black whose position in every frame is known.
import { execFile, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, rename, rm, stat, truncate } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { ffmpegBin } from '../../helpers/test-videos'
import { rawRgbInputArgs } from '../../../src/backend/ffmpeg/raw-input'

const run = promisify(execFile)
const PYTHON = '/usr/bin/python3'
const SCRIPT = path.resolve(__dirname, '../../fixtures/models/make_test_model.py')

/** The shuttle.* keys every model must carry, at values the known-answer models use (model-spec tests). */
export const MINIMAL_METADATA: Readonly<Record<string, string>> = {
  'shuttle.arch': 'a',
  'shuttle.frames_in': '3',
  'shuttle.frames_out': '3',
  'shuttle.input_height': '72',
  'shuttle.input_width': '128',
  'shuttle.background': 'false',
  'shuttle.output': 'logits',
  'shuttle.threshold': '0.5'
}

/** Null when the models can be made; otherwise the one-line reason the tests skip. */
export async function modelToolsMissing(): Promise<string | null> {
  if (!existsSync(PYTHON)) return `${PYTHON} is not installed`
  try {
    await run(PYTHON, ['-c', 'import onnx, numpy'])
    return null
  } catch {
    return `${PYTHON} lacks the onnx package (Debian: apt install python3-onnx)`
  }
}

export async function makeModel(dir: string, name: string, args: string[] = []): Promise<string> {
  await mkdir(dir, { recursive: true })
  const file = path.join(dir, `${name}.onnx`)
  if (!existsSync(file)) await run(PYTHON, [SCRIPT, file, ...args])
  return file
}

/**
 * The int8 sibling (<name>.int8.onnx) of a model made by makeModel, written by the real quantizer
 * (training/shuttle_training/quantize.py) calibrated on six seeded random windows of the tiny model's input.
 * The known-answer model is one Conv, its output head: --quantize-head, or nothing would be int8.
 */
export async function makeInt8Sibling(dir: string, name: string): Promise<string> {
  const calib = path.join(dir, `${name}.calib.npy`)
  const rng = 'np.random.default_rng(0).random((6, 9, 72, 128), dtype=np.float32)'
  await run(PYTHON, ['-c', `import numpy as np; np.save(${JSON.stringify(calib)}, ${rng})`])
  const training = path.resolve(__dirname, '../../../training')
  const args = ['-m', 'shuttle_training.quantize', path.join(dir, `${name}.onnx`), '--calibration', calib]
  await run(PYTHON, [...args, '--quantize-head'], { cwd: training })
  return path.join(dir, `${name}.int8.onnx`)
}

/** The square's top-left corner in frame n, video pixels, or null when it is hidden. */
export interface SquareTrack {
  width: number
  height: number
  size: number
  at(n: number): { x: number; y: number } | null
}

/** 240×160 (3:2, so the letterbox pads the model input on the right), a white 8 px square, hidden in 20–22. */
export const SQUARE: SquareTrack = {
  width: 240,
  height: 160,
  size: 8,
  at: (n) => (n >= 20 && n <= 22 ? null : { x: 10 + 3 * (n % 70), y: 20 + 4 * (n % 25) })
}

/** Expected centre of the square in video pixels (pixel-centre convention). */
export function expectedCentre(n: number): { x: number; y: number } | null {
  const p = SQUARE.at(n)
  return p ? { x: p.x + (SQUARE.size - 1) / 2, y: p.y + (SQUARE.size - 1) / 2 } : null
}

function squareFrame(n: number): Buffer {
  const { width, height, size } = SQUARE
  const rgb = Buffer.alloc(width * height * 3)
  const p = SQUARE.at(n)
  if (p)
    for (let y = p.y; y < p.y + size; y++) rgb.fill(255, (y * width + p.x) * 3, (y * width + p.x + size) * 3)
  return rgb
}

/**
 * A 30 fps H.264 clip of the moving square, drawn here and piped to ffmpeg so every position is exact. Options
 * make the broken variants: `truncate` keeps that fraction of the file's bytes (the index, at the front with
 * faststart, still lists every frame, so decoding fails half way).
 */
export async function makeSquareVideo(
  dir: string,
  frames: number,
  opts: { name?: string; truncate?: number; gop?: number } = {}
): Promise<string> {
  await mkdir(dir, { recursive: true })
  const file = path.join(dir, opts.name ?? `square-${frames}.mp4`)
  if (existsSync(file)) return file
  const tmp = path.join(dir, `.making-${process.pid}-${path.basename(file)}`)
  const { width, height } = SQUARE
  const args = ['-v', 'error', '-y', ...rawRgbInputArgs(width, height, 30)]
  args.push('-c:v', 'libx264', '-crf', '8', '-g', String(opts.gop ?? 30), '-bf', '0')
  args.push('-pix_fmt', 'yuv420p', '-movflags', '+faststart', '-f', 'mp4', tmp)
  await new Promise<void>((resolve, reject) => {
    const child = spawn(ffmpegBin(), args, { stdio: ['pipe', 'ignore', 'pipe'] })
    let err = ''
    child.stderr.on('data', (b: Buffer) => (err += b.toString()))
    child.on('error', reject)
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg failed: ${err}`))))
    child.stdin.on('error', () => undefined)
    void (async () => {
      for (let n = 0; n < frames; n++) {
        if (!child.stdin.write(squareFrame(n))) await new Promise((r) => child.stdin.once('drain', r))
      }
      child.stdin.end()
    })()
  })
  if (opts.truncate !== undefined) await truncate(tmp, Math.floor((await stat(tmp)).size * opts.truncate))
  await rename(tmp, file)
  return file
}

export async function cleanup(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true })
}
