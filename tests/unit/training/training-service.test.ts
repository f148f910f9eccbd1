// Runs in Node (Vitest): the studio's training job with the real Python training package — fine-tunes the
// tiny MMFNet for a few seconds on a generated project, streams progress, exports an ONNX model into the
// models folder; and refuses clearly when there is nothing to train on. Skips where no Python has PyTorch.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runSynth } from '../../../src/cli/commands/synth'
import type { EventMessage } from '../../../src/shared/api/wire'
import { EventBus } from '../../../src/backend/rpc/event-bus'
import { findTorchPython } from '../../../src/backend/training/python'
import { defaultTrainingPackageDir, TrainingService } from '../../../src/backend/training/training-service'

const python = await findTorchPython()
const reason = 'problem' in python ? `no Python with PyTorch: ${python.problem}` : null

describe.skipIf(reason !== null)('training service', () => {
  let dir: string
  let projectDir: string

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'training-service-'))
    projectDir = path.join(dir, 'project')
    await runSynth(
      { out: projectDir, clips: '1', seconds: '2', size: '320x180', fps: '30', seed: '4' },
      { progress: false, log: () => undefined }
    )
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('trains, reports progress and exports a model the tracker can load', async () => {
    const bus = new EventBus()
    const seen: EventMessage[] = []
    bus.subscribe((m) => seen.push(m))
    const service = new TrainingService(
      {
        packageDir: defaultTrainingPackageDir(),
        runsDir: path.join(dir, 'runs'),
        modelsDir: path.join(dir, 'models')
      },
      bus
    )
    const status = await service.status()
    expect(status.python?.torch).toMatch(/^\d/)
    const job = await service.start({ projectDir, minutes: 0.05, arch: 'mmfnet-tiny' })
    expect(job.message).toContain('one match only')
    const end = await new Promise<{ state: string; modelPath: string | null; message: string | null }>(
      (resolve) => {
        bus.subscribe((m) => {
          const p = m.payload as { state: string; modelPath: string | null; message: string | null }
          if (m.event === 'training.update' && ['done', 'failed', 'stopped'].includes(p.state)) resolve(p)
        })
      }
    )
    expect(end.message ?? '').not.toMatch(/error/i)
    expect(end.state).toBe('done')
    expect(end.modelPath && existsSync(end.modelPath)).toBe(true)
    expect(seen.some((m) => (m.payload as { valF1: number | null }).valF1 !== null)).toBe(true)
  }, 300_000)

  it('refuses a folder without labelled clips, saying what to do', async () => {
    const empty = path.join(dir, 'empty')
    mkdirSync(empty)
    const service = new TrainingService(
      {
        packageDir: defaultTrainingPackageDir(),
        runsDir: path.join(dir, 'runs2'),
        modelsDir: path.join(dir, 'models2')
      },
      new EventBus()
    )
    await expect(service.start({ projectDir: empty, minutes: 1, arch: 'mmfnet-tiny' })).rejects.toThrow(
      /no labelled clips/
    )
  })
})

if (reason) console.log(`training service tests skipped: ${reason}`)
