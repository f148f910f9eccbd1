// Runs in Node (Vitest): the int8 path with real parts — the quantizer (training/shuttle_training/quantize.py,
// calibrated through onnxruntime-node) turns a known-answer model into its int8 sibling, onnxruntime-node runs
// it within a stated tolerance of fp32, and the model choice falls back to fp32 when the sibling is missing,
// corrupt or a GPU provider runs. The measured speed is cached per machine and model pair.
import { copyFile, mkdtemp, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { locateFfmpeg } from '../../../src/backend/ffmpeg/locate'
import { InferenceClient } from '../../../src/backend/tracking/inference-client'
import { listModels, loadModel, type LoadedModel } from '../../../src/backend/tracking/model-catalog'
import {
  chooseModelPrecision,
  KEPT_MEASUREMENTS,
  type Speed
} from '../../../src/backend/tracking/precision-choice'
import { EXIT, runTrack, type TrackIo } from '../../../src/cli/commands/track'
import { cleanup, makeInt8Sibling, makeModel, makeSquareVideo, modelToolsMissing } from './fixtures'

/**
 * Logit tolerance: the input is quantized in steps of 1/255 and the known-answer model's logit is
 * 20 × the mean of three channels, so quantization moves it by at most 20/510 ≈ 0.04 (weights and bias are
 * exact to a few 1e-4); 0.1 leaves room for rounding, a wrong scale or zero point breaks it by far.
 */
const LOGIT_TOLERANCE = 0.1
const noDirs = { bundled: null, user: null }

const missing = await modelToolsMissing()

/** A deterministic window: faint noise, a white square in frame 1 at (x, y). */
function window(x: number, y: number): Float32Array {
  const [c, h, w] = [9, 72, 128]
  const data = new Float32Array(c * h * w)
  for (let i = 0; i < data.length; i++) data[i] = 0.1 * (0.5 + 0.5 * Math.sin(i * 0.37))
  for (let ch = 3; ch < 6; ch++)
    for (let yy = y; yy < y + 4; yy++) for (let xx = x; xx < x + 4; xx++) data[(ch * h + yy) * w + xx] = 1
  return data
}

async function heatmaps(m: LoadedModel, input: Float32Array): Promise<Float32Array> {
  const client = await InferenceClient.start(m.path, m.spec, { provider: 'cpu', threads: 1 })
  try {
    return (await client.run(input.slice(), [1, 9, 72, 128])).data
  } finally {
    await client.close()
  }
}

function argmax(a: Float32Array, from: number, to: number): number {
  let best = from
  for (let i = from; i < to; i++) if (a[i]! > a[best]!) best = i
  return best - from
}

describe.skipIf(missing !== null)('the int8 model', () => {
  let dir = ''
  let fp32: LoadedModel
  let int8: LoadedModel
  const cacheDir = (): string => path.join(dir, 'cache')

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'int8-'))
    await makeModel(dir, 'tiny')
    await makeInt8Sibling(dir, 'tiny')
    fp32 = await loadModel(path.join(dir, 'tiny.onnx'), noDirs)
    int8 = await loadModel(path.join(dir, 'tiny.int8.onnx'), noDirs)
  }, 120_000)
  afterAll(() => cleanup(dir))

  it('is written with the same contract and shuttle.precision=int8', () => {
    expect(int8.metadata['shuttle.precision']).toBe('int8')
    expect(int8.spec).toEqual(fp32.spec)
    expect(fp32.metadata['shuttle.precision']).toBeUndefined()
  })

  it('runs in onnxruntime-node within the tolerance of fp32, peaks in the same place', async () => {
    const input = window(40, 30)
    const [a, b] = [await heatmaps(fp32, input), await heatmaps(int8, input)]
    expect(b.length).toBe(a.length)
    let worst = 0
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!))
    expect(worst).toBeLessThanOrEqual(LOGIT_TOLERANCE)
    expect(worst).toBeGreaterThan(0) // it really is another model, not the fp32 one again
    const plane = 72 * 128
    expect(argmax(b, plane, 2 * plane)).toBe(argmax(a, plane, 2 * plane))
    expect(argmax(a, plane, 2 * plane)).toBe(30 * 128 + 40) // the square's first pixel (a flat top)
  })

  it('is not listed as a model of its own', async () => {
    expect((await listModels({ bundled: dir, user: null })).map((m) => m.id)).toEqual(['tiny'])
  })

  it('runs where it measured faster, measuring per machine and model pair until enough are kept', async () => {
    let measured = 0
    const measure = async (): Promise<Speed> => {
      measured++
      return { fp32Ms: 50, int8Ms: 20 }
    }
    const o = { provider: 'cpu' as const, cacheDir: cacheDir(), measure, busy: () => false }
    const first = await chooseModelPrecision(fp32, o)
    expect(first).toMatchObject({
      precision: 'int8',
      reason: 'faster here: 20 vs 50 ms per window on this machine'
    })
    expect(first.model.path).toBe(int8.path)
    for (let i = 1; i < KEPT_MEASUREMENTS + 2; i++)
      expect((await chooseModelPrecision(fp32, o)).precision).toBe('int8')
    expect(measured).toBe(KEPT_MEASUREMENTS)
  })

  it('measures both for real with onnxruntime-node when nothing is cached', async () => {
    const r = await chooseModelPrecision(fp32, { provider: 'cpu', cacheDir: path.join(dir, 'cache-real') })
    expect(r.reason).toMatch(/ms per window on this machine/)
    expect(r.model.path).toBe(r.precision === 'int8' ? int8.path : fp32.path)
  })

  it('keeps fp32 when a GPU provider runs, or when fp32 is chosen', async () => {
    const measure = async (): Promise<Speed> => ({ fp32Ms: 50, int8Ms: 1 })
    const gpu = await chooseModelPrecision(fp32, {
      provider: 'cuda',
      gpuUsable: () => true,
      cacheDir: cacheDir(),
      measure
    })
    expect(gpu).toMatchObject({ precision: 'fp32', reason: 'GPU providers run the fp32 model' })
    expect(gpu.model.path).toBe(fp32.path)
    const forced = await chooseModelPrecision(fp32, { choice: 'fp32', cacheDir: cacheDir(), measure })
    expect(forced.model.path).toBe(fp32.path)
  })

  it('runs a forced int8, and an int8 file given directly', async () => {
    const forced = await chooseModelPrecision(fp32, { choice: 'int8', provider: 'cpu', cacheDir: cacheDir() })
    expect(forced).toMatchObject({ precision: 'int8', reason: 'int8 chosen' })
    expect(forced.model.path).toBe(int8.path)
    expect(await chooseModelPrecision(int8, { cacheDir: cacheDir() })).toMatchObject({
      precision: 'int8',
      reason: 'the model file is int8'
    })
  })

  it('falls back to fp32 when the int8 file is missing', async () => {
    const alone = path.join(dir, 'alone')
    const file = await makeModel(alone, 'tiny')
    const model = await loadModel(file, noDirs)
    for (const choice of ['auto', 'int8'] as const) {
      const r = await chooseModelPrecision(model, { choice, provider: 'cpu', cacheDir: cacheDir() })
      expect(r.precision).toBe('fp32')
      expect(r.reason).toContain('tiny.int8.onnx is missing')
      expect(r.model.path).toBe(file)
    }
  })

  it('falls back to fp32 when the int8 file is corrupt or not int8', async () => {
    const broken = path.join(dir, 'broken')
    const file = await makeModel(broken, 'tiny')
    const model = await loadModel(file, noDirs)
    await writeFile(path.join(broken, 'tiny.int8.onnx'), 'not a model at all')
    const r = await chooseModelPrecision(model, { provider: 'cpu', cacheDir: cacheDir() })
    expect(r.precision).toBe('fp32')
    expect(r.reason).toMatch(/^the int8 model cannot be used: tiny\.int8\.onnx: /)
    expect(r.model.path).toBe(file)
    await copyFile(file, path.join(broken, 'tiny.int8.onnx')) // a valid model, but the fp32 one
    const notInt8 = await chooseModelPrecision(model, {
      choice: 'int8',
      provider: 'cpu',
      cacheDir: cacheDir()
    })
    expect(notInt8.precision).toBe('fp32')
    expect(notInt8.reason).toContain('has no shuttle.precision=int8')
  })

  it('track says which precision ran and why, and refuses an unknown --precision', async () => {
    const lines: string[] = []
    const errs: string[] = []
    const io: TrackIo = {
      out: (t) => lines.push(t),
      err: (t) => errs.push(t),
      cacheDir: cacheDir(),
      ffmpeg: () => locateFfmpeg()
    }
    const video = await makeSquareVideo(dir, 12)
    const o = { model: fp32.path, out: path.join(dir, 'out'), provider: 'cpu', precision: 'int8' }
    expect(await runTrack([video], o, io)).toBe(EXIT.ok)
    expect(errs).toEqual([])
    expect(lines.join('\n')).toContain('precision int8 (int8 chosen)')
    expect(await runTrack([video], { ...o, precision: 'int4' }, io)).toBe(EXIT.badArgs)
    expect(errs.join('\n')).toContain('--precision must be one of auto, fp32, int8.')
  })
})
