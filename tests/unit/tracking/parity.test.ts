// Runs in Node (Vitest): the app's tracking pipeline against the training package's own reference path
// (tests/fixtures/models/python_reference.py: ffmpeg letterbox decode, median background, predict_clip's
// windows and overlap averaging, detect_video) on the same video and known-answer model. A 61-frame clip makes
// the last window overlap the one before it, and a 3:2 video makes the letterbox pad. Needs /usr/bin/python3
// with torch and onnx; skips with the reason otherwise.
import { execFile } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { locateFfmpeg } from '../../../src/backend/ffmpeg/locate'
import { loadModel, trackVideo } from '../../../src/backend/tracking'
import { cleanup, makeModel, makeSquareVideo, modelToolsMissing } from './fixtures'

const run = promisify(execFile)
const REFERENCE = path.resolve(__dirname, '../../fixtures/models/python_reference.py')

async function torchMissing(): Promise<string | null> {
  const m = await modelToolsMissing()
  if (m) return m
  try {
    await run('/usr/bin/python3', ['-c', 'import torch'])
    return null
  } catch {
    return '/usr/bin/python3 lacks torch (Debian: apt install python3-torch)'
  }
}

const missing = await torchMissing()
if (missing) console.warn(`tracking parity test skipped: ${missing}`)

describe.skipIf(missing !== null)('parity with the Python reference', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'shuttle-parity-'))
  })
  afterAll(() => cleanup(dir))

  it.each([
    ['logits, no background', 'ka', [] as string[]],
    ['sigmoid, background', 'ka-bg-sigmoid', ['--background', '--output', 'sigmoid']]
  ])('gives the same detections (%s)', async (_what, name, args) => {
    const model = await makeModel(dir, name, args)
    const video = await makeSquareVideo(dir, 61)
    const { stdout } = await run(
      '/usr/bin/python3',
      [REFERENCE, video, model, path.join(dir, `py-${name}`)],
      {
        timeout: 120_000
      }
    )
    const ref = JSON.parse(stdout) as [number, number, number, number, number][]
    const loaded = await loadModel(model, { bundled: null, user: null })
    const r = await trackVideo({
      video,
      model: loaded,
      ffmpeg: await locateFfmpeg(),
      cacheDir: path.join(dir, `c-${name}`),
      provider: 'cpu',
      noCache: true
    })
    expect(r.detections.length).toBe(ref.length)
    for (const [f, vis, x, y, conf] of ref) {
      const d = r.detections[f]!
      expect(d.visible, `frame ${f}`).toBe(vis === 1)
      if (!vis) continue
      // The app writes three decimals; the rest is float32 rounding in the model runtime.
      expect(Math.abs(d.x - x), `x of frame ${f}`).toBeLessThan(2e-3)
      expect(Math.abs(d.y - y), `y of frame ${f}`).toBeLessThan(2e-3)
      expect(Math.abs(d.confidence - conf), `confidence of frame ${f}`).toBeLessThan(2e-3)
    }
  })
})
