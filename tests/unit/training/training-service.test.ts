// Runs in Node (Vitest): the studio's training job with the real Python training package — fine-tunes the
// tiny MMFNet for a few seconds on a generated project, streams progress, exports an ONNX model into the
// models folder, still exporting the last checkpoint after a cancel; and refuses clearly when there is nothing
// to train on. Skips where no Python has PyTorch.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runSynth } from '../../../src/cli/commands/synth'
import type { EventMessage } from '../../../src/shared/api/wire'
import { EventBus } from '../../../src/backend/rpc/event-bus'
import { findTorchPython } from '../../../src/backend/training/python'
import { readOnnxMetadata } from '../../../src/backend/tracking/onnx-metadata'
import {
  defaultTrainingPackageDir,
  EVAL_THRESHOLDS,
  TrainingService
} from '../../../src/backend/training/training-service'

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
          if (m.event === 'training.update' && ['done', 'failed', 'cancelled'].includes(p.state)) resolve(p)
        })
      }
    )
    expect(end.message ?? '').not.toMatch(/error/i)
    expect(end.state).toBe('done')
    expect(end.modelPath && existsSync(end.modelPath)).toBe(true)
    expect(seen.some((m) => (m.payload as { valF1: number | null }).valF1 !== null)).toBe(true)
    // It ships at the operating point it was chosen at: overlapping windows, the best of the thresholds.
    const meta = await readOnnxMetadata(end.modelPath!)
    expect(meta['shuttle.window_stride']).toBe('1')
    expect(EVAL_THRESHOLDS.split(',').map(Number)).toContain(Number(meta['shuttle.threshold']))
  }, 300_000)

  it('fine-tunes the bundled checkpoint on a project of two matches, holding the last one out', async () => {
    // The first test's run stands in for the app's bundled checkpoint of this architecture.
    const runs = path.join(dir, 'runs')
    const firstRun = readdirSync(runs).find((r) => existsSync(path.join(runs, r, 'best.pt')))
    expect(firstRun).toBeDefined()
    const bundledDir = path.join(dir, 'bundled')
    mkdirSync(bundledDir)
    copyFileSync(path.join(runs, firstRun!, 'best.pt'), path.join(bundledDir, 'mmfnet-tiny.pt'))
    const two = path.join(dir, 'two matches')
    for (const [match, seed] of [
      ['match_a', '4'],
      ['match_b', '5']
    ] as const) {
      await runSynth(
        { out: two, match, clips: '1', seconds: '2', size: '320x180', fps: '30', seed },
        { progress: false, log: () => undefined }
      )
    }
    const bus = new EventBus()
    const service = new TrainingService(
      {
        packageDir: defaultTrainingPackageDir(),
        runsDir: path.join(dir, 'runs3'),
        modelsDir: path.join(dir, 'models3'),
        bundledDir
      },
      bus
    )
    const job = await service.start({ projectDir: two, minutes: 0.05, arch: 'mmfnet-tiny' })
    expect(job.message).toBe('fine-tuning mmfnet-tiny.pt; validating on match_b')
    const end = await new Promise<{ state: string; valF1: number | null; message: string | null }>(
      (resolve) =>
        bus.subscribe((m) => {
          const p = m.payload as { state: string; valF1: number | null; message: string | null }
          if (m.event === 'training.update' && ['done', 'failed', 'cancelled'].includes(p.state)) resolve(p)
        })
    )
    expect(end.message ?? '').not.toMatch(/error/i)
    expect(end.state).toBe('done')
    expect(end.valF1).not.toBeNull()
  }, 300_000)

  it('cancels at the first step: the run ends cancelled, its last checkpoint exported all the same', async () => {
    const bus = new EventBus()
    const service = new TrainingService(
      {
        packageDir: defaultTrainingPackageDir(),
        runsDir: path.join(dir, 'runs-cancel'),
        modelsDir: path.join(dir, 'models-cancel')
      },
      bus
    )
    type Update = { jobId: string; state: string; phase: string; step: number; modelPath: string | null }
    const phases: string[] = []
    let jobId = ''
    let asked: Promise<{ cancelled: boolean }> | null = null
    const end = new Promise<Update>((resolve) =>
      bus.subscribe((m) => {
        const p = m.payload as Update
        if (m.event !== 'training.update') return
        phases.push(p.phase)
        if (p.state === 'running' && p.step > 0 && jobId) asked ??= service.cancel({ jobId })
        if (['done', 'failed', 'cancelled'].includes(p.state)) resolve(p)
      })
    )
    // Minutes enough that only the cancel can end it in time.
    jobId = (await service.start({ projectDir, minutes: 30, arch: 'mmfnet-tiny' })).jobId
    const last = await end
    expect(await asked).toEqual({ cancelled: true })
    expect(last.state).toBe('cancelled')
    expect(phases).toContain('exporting')
    expect(last.modelPath && existsSync(last.modelPath)).toBe(true)
    expect(await service.cancel({ jobId })).toEqual({ cancelled: false })
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
