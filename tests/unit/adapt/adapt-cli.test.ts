// Runs in Node (Vitest): `shuttle-studio adapt` through its command function (runAdaptCommand) — each refusal
// with its exit code and a sentence saying what to do, and, where a Python has PyTorch, real runs with an
// untrained tiny MMFNet on a generated match: the model written whole (ONNX loadable by the tracker, its .pt
// beside it, no temporary file left), and a stop that still writes the best model so far and exits 130.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXIT, runAdaptCommand, type AdaptIo, type AdaptOptions } from '../../../src/cli/commands/adapt'
import { runSynth } from '../../../src/cli/commands/synth'
import { specFromMetadata } from '../../../src/backend/tracking/model-spec'
import { readOnnxMetadata } from '../../../src/backend/tracking/onnx-metadata'
import { findTorchPython } from '../../../src/backend/training/python'
import { defaultTrainingPackageDir } from '../../../src/backend/training/training-service'

let dir: string
let root: string

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'adapt-cli-'))
  root = path.join(dir, 'labels')
  await runSynth(
    { out: root, match: 'match_a', clips: '2', seconds: '2', size: '320x180', fps: '30', seed: '1' },
    { progress: false, log: () => undefined }
  )
}, 120_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

interface Ran {
  code: number
  out: string
  err: string
}

async function adapt(at: string, o: AdaptOptions, extra: Partial<AdaptIo> = {}): Promise<Ran> {
  const out: string[] = []
  const err: string[] = []
  const code = await runAdaptCommand(at, o, {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    cacheDir: path.join(dir, 'cache'),
    ...extra
  })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

const outFile = (name: string): string => path.join(dir, 'models', `${name}.onnx`)

describe('shuttle-studio adapt refuses clearly', () => {
  it('bad arguments: exit 2', async () => {
    const cases: [string, AdaptOptions, RegExp][] = [
      [root, { out: outFile('a') }, /missing --minutes/],
      [
        root,
        { minutes: 'ten', out: outFile('a') },
        /--minutes must be a number of minutes above 0, not "ten"/
      ],
      [root, { minutes: '0', out: outFile('a') }, /--minutes must be/],
      [root, { minutes: '1' }, /missing --out MODEL\.onnx/],
      [root, { minutes: '1', out: path.join(dir, 'model.pt') }, /--out must name an \.onnx file/],
      [root, { minutes: '1', out: outFile('a'), maxFrames: '0' }, /--max-frames must be a whole number/],
      [path.join(dir, 'nowhere'), { minutes: '1', out: outFile('a') }, /nowhere is not a folder/],
      [
        root,
        { minutes: '1', out: outFile('a'), replay: path.join(dir, 'no-replay') },
        /--replay .*no-replay is not a folder/
      ]
    ]
    for (const [at, o, message] of cases) {
      const r = await adapt(at, o)
      expect(r.code, JSON.stringify(o)).toBe(EXIT.badArgs)
      expect(r.err).toMatch(message)
    }
  })

  it('a base model without its PyTorch checkpoint: exit 3', async () => {
    const onnx = path.join(dir, 'lonely.onnx')
    writeFileSync(onnx, 'not checked: only its missing .pt sibling matters here')
    const r = await adapt(root, { minutes: '1', out: outFile('a'), base: onnx })
    expect(r.code).toBe(EXIT.model)
    expect(r.err).toMatch(/lonely\.onnx has no PyTorch checkpoint beside it \(lonely\.pt\)/)
    const missing = await adapt(root, { minutes: '1', out: outFile('a'), base: path.join(dir, 'gone.pt') })
    expect(missing.code).toBe(EXIT.model)
    expect(missing.err).toMatch(/gone\.pt does not exist/)
    const id = await adapt(root, { minutes: '1', out: outFile('a'), base: 'no-such-model' })
    expect(id.code).toBe(EXIT.model)
    expect(id.err).toMatch(/no model "no-such-model" with a PyTorch checkpoint/)
  })

  it('too few labels: exit 2, with the counts', async () => {
    const few = path.join(dir, 'few')
    await runSynth(
      { out: few, match: 'm', clips: '1', seconds: '1', size: '320x180', fps: '30', seed: '2' },
      { progress: false, log: () => undefined }
    )
    // 30 labelled frames: the last quarter (8) held back leaves 22 to train on, enough; --max-frames 12 is not.
    const thin = await adapt(few, { minutes: '1', out: outFile('few'), maxFrames: '12' })
    expect(thin.code).toBe(EXIT.badArgs)
    expect(thin.err).toMatch(
      /--max-frames 12 leaves too few frames to train on; adaptation needs at least 20/
    )
    const csv = path.join(few, 'm', 'csv', 'clip_01_ball.csv')
    writeFileSync(
      csv,
      'Frame,Visibility,X,Y\n' + Array.from({ length: 12 }, (_, f) => `${f},0,0,0`).join('\n')
    )
    const sparse = await adapt(few, { minutes: '1', out: outFile('few') })
    expect(sparse.code).toBe(EXIT.badArgs)
    expect(sparse.err).toMatch(/too few labels: 9 labelled frames to train on and 3 held back/)
    expect(existsSync(outFile('few'))).toBe(false)
    unlinkSync(path.join(few, 'm', 'video', 'clip_01.mp4'))
    const noVideo = await adapt(few, { minutes: '1', out: outFile('few') })
    expect(noVideo.code).toBe(EXIT.video)
    expect(noVideo.err).toMatch(/m\/clip_01: its video is missing/)
  }, 60_000)

  it('no Python with PyTorch: exit 2, saying how to get one and where to point the studio at it', async () => {
    const r = await adapt(root, { minutes: '1', out: outFile('a'), python: path.join(dir, 'no-python') })
    expect(r.code).toBe(EXIT.badArgs)
    expect(r.err).toMatch(/no-python cannot import torch and onnx/)
    expect(r.err).toMatch(/SHUTTLE_PYTHON/)
    expect(r.err).toMatch(/pip install torch onnx|apt install python3-torch/)
  })
})

const python = await findTorchPython()
const packageDir = defaultTrainingPackageDir()
const skip =
  'problem' in python
    ? `no Python with PyTorch: ${python.problem}`
    : !existsSync(path.join(packageDir, 'shuttle_training', 'adapt.py'))
      ? 'the training package has no adapt module'
      : null

describe.skipIf(skip !== null)('shuttle-studio adapt with the tiny model', () => {
  let base: string

  beforeAll(() => {
    // An untrained tiny MMFNet as the base: what is checked is the loop, not what it learns in seconds.
    base = path.join(dir, 'tiny.pt')
    const script =
      'import sys\n' +
      'from shuttle_training.models import build_model\n' +
      'from shuttle_training import checkpoint\n' +
      'm = build_model("mmfnet-tiny", frames_in=3, frames_out=3, background=True)\n' +
      'm.arch_name = "mmfnet-tiny"\n' +
      'checkpoint.save(sys.argv[1], m, train_fps=30.0, val={"threshold": 0.5, "stride": 1, "f1": None})\n'
    execFileSync((python as { path: string }).path, ['-c', script, base], {
      cwd: packageDir,
      env: { ...process.env, PYTHONPATH: packageDir }
    })
  })

  it('adapts within the budget and writes the model whole, with its checkpoint beside it', async () => {
    const out = outFile('adapted')
    const r = await adapt(root, { minutes: '0.2', out, base, threads: '1' })
    expect(r.err).not.toMatch(/error/i)
    expect(r.code).toBe(EXIT.ok)
    expect(r.err).toMatch(/90 frames to train on, 30 held back to measure F1/)
    expect(r.out).toMatch(
      /adapted\.onnx: held-back F1 [\d.]+ % \(base model [\d.]+ %\) at detection threshold/
    )
    const meta = await readOnnxMetadata(out)
    // The threshold the held-back rows chose is the one the summary names and the tracker will use.
    expect(r.out).toContain(`at detection threshold ${specFromMetadata(meta).threshold};`)
    expect(specFromMetadata(meta).arch).toBe('mmfnet-tiny')
    expect(meta['shuttle.adapted_from']).toBe('tiny.pt')
    // Renamed into place: nothing half-written or temporary is left beside it.
    expect(readdirSync(path.dirname(out)).sort()).toEqual(['adapted.onnx', 'adapted.pt'])
  }, 300_000)

  it('a stop ends the run at once, still writing the best model so far: exit 130', async () => {
    const out = outFile('stopped')
    const ac = new AbortController()
    const r = await adapt(
      root,
      { minutes: '30', out, base, threads: '1' },
      {
        signal: ac.signal,
        // Stop as soon as training has started (a 30-minute budget: only the stop can end it in time).
        err: (t) => {
          if (t.startsWith('training on')) ac.abort()
        }
      }
    )
    expect(r.code).toBe(EXIT.interrupted)
    expect(specFromMetadata(await readOnnxMetadata(out)).arch).toBe('mmfnet-tiny')
    expect(existsSync(outFile('stopped').replace(/\.onnx$/, '.pt'))).toBe(true)
  }, 300_000)
})

if (skip) console.log(`adapt CLI runs skipped: ${skip}`)
