// Runs in Node (Vitest): cancelling a track never takes the backend down. A child process runs one backend
// that tracks a generated clip with the bundled model through real onnxruntime and cancels it again and again —
// once frames are being tracked (a batch is inside onnxruntime then) and right after the start (the model is
// still loading) — then tracks the clip to its end. The inference worker used to be terminated under a running
// session, which aborts the process ("terminate called after throwing an instance of 'Napi::Error'").
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { locateFfmpeg } from '../../../src/backend/ffmpeg/locate'
import { cleanup, makeSquareVideo } from './fixtures'

const ROOT = path.resolve(import.meta.dirname, '../../..')
const MODEL = path.join(ROOT, 'resources', 'models', 'mmfnet-small.onnx')
const ROUNDS = 3
const FRAMES = 270

const missing = !existsSync(MODEL)
  ? `the bundled model is not at ${MODEL}`
  : await locateFfmpeg().then(
      () => null,
      (e: Error) => `no ffmpeg: ${e.message}`
    )
if (missing) console.warn(`cancel tests skipped: ${missing}`)

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'shuttle-track-cancel-'))
})
afterAll(() => cleanup(dir))

it.skipIf(missing !== null)(
  'survives cancels mid-run and right after the start, then tracks the clip to the end',
  async () => {
    const video = await makeSquareVideo(dir, FRAMES)
    const script = path.join(import.meta.dirname, 'cancel-rounds.ts')
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', script, path.join(dir, 'cache'), MODEL, video, String(ROUNDS)],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] }
    )
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal }))
    )
    expect(exit, `stdout:\n${stdout}\nstderr:\n${stderr}`).toEqual({ code: 0, signal: null })
    const lines = stdout.trim().split('\n')
    const expected: RegExp[] = []
    for (let i = 0; i < ROUNDS; i++)
      expected.push(new RegExp(`^mid-run ${i} cancelled `), new RegExp(`^at-start ${i} cancelled$`))
    expected.push(new RegExp(`^final done ${FRAMES} ${FRAMES}$`))
    expect(lines).toHaveLength(expected.length)
    lines.forEach((l, i) => expect(l).toMatch(expected[i]!))
  },
  300_000
)
