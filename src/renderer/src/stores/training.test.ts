// Runs in Node (Vitest): the Train tab's store — which state the tab shows, decided in order (pure), and the
// loop against a real backend (loopback transport, real ffmpeg, the real Python package with an untrained tiny
// MMFNet as the base): the summary once a project is open, Start, Stop showing 'stopping' before its reply,
// the saved model used for tracking, re-tracking every clip through the tracking job, and a suggested frame
// opened in the Frames view. The loop skips where no Python has PyTorch.
import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { createPinia, setActivePinia } from 'pinia'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBackend, type Backend } from '../../../backend/services'
import { findTorchPython } from '../../../backend/training/python'
import { makeTwoMatchProject } from '../../../../tests/helpers/two-match-project'
import { LoopbackTransport } from '../../../../tests/unit/support/loopback'
import { keepLabelsBefore, LABELLED_FRAMES } from '../../../../tests/unit/training/sparse-labels'
import { StudioClient } from '../api/client'
import { provideClient } from './client'
import { useProjectStore } from './project'
import { useTrackingStore } from './tracking'
import { trainView, useTrainingStore, type AdaptSummary, type TrainingJob } from './training'
import { useVideoStore } from './video'

async function until(check: () => boolean, ms = 240_000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) {
      const t = useTrainingStore()
      const { losses: _l, evals: _e, ...job } = t.job ?? { losses: [], evals: [] }
      throw new Error(`timed out waiting; view ${t.view}, error ${t.error}, job ${JSON.stringify(job)}`)
    }
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('which state the Train tab shows', () => {
  const status = { python: { path: 'python3', torch: '2' }, problem: null, job: null, unfinished: [] }
  const summary = { problem: null } as AdaptSummary
  const job = (state: TrainingJob['state'], projectDir = '/p') => ({ state, projectDir }) as TrainingJob
  const base = { projectOpen: true, status, job: null, summary, projectDir: '/p' }

  it('decides in order: project, Python, the job, the labels', () => {
    expect(trainView({ ...base, projectOpen: false })).toBe('no-project')
    expect(trainView({ ...base, status: { ...status, python: null, problem: 'no torch' } })).toBe('no-python')
    expect(trainView({ ...base, job: job('running') })).toBe('running')
    expect(trainView({ ...base, job: job('cancelled') })).toBe('stopped')
    expect(trainView({ ...base, job: job('failed') })).toBe('failed')
    expect(trainView({ ...base, job: job('done') })).toBe('done')
    expect(trainView({ ...base, summary: { problem: 'only 3 labelled frames' } as AdaptSummary })).toBe(
      'too-few-labels'
    )
    expect(trainView(base)).toBe('ready')
  })

  it("ignores another project's job", () => {
    expect(trainView({ ...base, job: job('running', '/other') })).toBe('ready')
  })
})

const python = await findTorchPython()
const reason = 'problem' in python ? `no Python with PyTorch: ${python.problem}` : null
if (reason) console.log(`training store loop skipped: ${reason}`)
const fixture = path.resolve(import.meta.dirname, '../../../../tests/fixtures/models/tiny_adapt_base.py')

describe.skipIf(reason !== null)('the adaptation loop through the store', () => {
  let dir: string
  let projectDir: string
  let base: string
  let backend: Backend

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'training-store-'))
    projectDir = path.join(dir, 'project')
    await makeTwoMatchProject(projectDir)
    for (const match of ['match_a', 'match_b']) await keepLabelsBefore(projectDir, match, LABELLED_FRAMES)
    base = path.join(dir, 'base', 'tiny.onnx')
    await mkdir(path.dirname(base))
    await promisify(execFile)((python as { path: string }).path, [fixture, base])
    backend = await createBackend({ host: 'cli', version: 'test', cacheDir: path.join(dir, 'cache') })
    provideClient(new StudioClient(new LoopbackTransport(backend)))
    setActivePinia(createPinia())
  }, 180_000)
  afterAll(async () => {
    useTrainingStore().dispose()
    await backend?.handlers['project.close']({})
    backend?.dispose()
    await rm(dir, { recursive: true, force: true })
  })

  it('says no project is open, then summarises the one opened', async () => {
    const training = useTrainingStore()
    await training.refresh()
    expect(training.view).toBe('no-project')
    await useProjectStore().create(projectDir, 'Store')
    await training.refresh()
    expect(training.view).toBe('ready')
    expect(training.summary?.clips).toHaveLength(2)
    expect(training.summary?.trainFrames).toBeGreaterThan(0)
  })

  it('starts, shows stopping as soon as Stop is answered, and saves the best model so far', async () => {
    const training = useTrainingStore()
    training.base = base
    training.minutes = 30
    expect(await training.start()).toBe(true)
    expect(training.view).toBe('running')
    await until(() => (training.job?.step ?? 0) > 0 || training.view !== 'running')
    expect(training.job?.message ?? '').not.toMatch(/error|no training frame/i)
    expect(training.view).toBe('running')
    await training.stop()
    expect(training.job?.phase).toBe('stopping')
    await until(() => training.view !== 'running')
    expect(training.view).toBe('stopped')
    expect(training.job?.stopped).toBe(true)
    expect(training.job?.losses.length).toBeGreaterThan(0)
    expect(training.job?.modelId).toMatch(/^adapted-/)
  }, 300_000)

  it('uses the adapted model, re-tracks every clip with it and opens a suggested frame', async () => {
    const training = useTrainingStore()
    const tracking = useTrackingStore()
    expect(await training.useModel()).toBe(true)
    expect(tracking.modelId).toBe(training.job?.modelId)
    // The next adaptation starts from the model tracking now uses.
    expect(training.baseModel).toBe(training.job?.modelId)
    await training.retrackAll()
    expect(training.retrack).toMatchObject({ running: false, done: 2, total: 2, failed: [] })
    // Suggestions now come from the adapted model's tracks of both clips: the tiny model is unsure of the
    // unlabelled frames of each.
    expect(training.suggestNote).toBeNull()
    const clips = new Set(training.suggestions.map((s) => s.clipId))
    expect(clips.size).toBe(2)
    for (const s of training.suggestions) expect(s.frame).toBeGreaterThanOrEqual(LABELLED_FRAMES)
    const [s0, s1] = training.suggestions
    expect(await training.openSuggestion(0)).toBe(true)
    expect(useProjectStore().openClipId).toBe(s0!.clipId)
    expect(useVideoStore().frame).toBe(s0!.frame)
    expect(training.cursor).toBe(0)
    // Next goes on to the following one.
    expect(await training.nextSuggestion()).toBe(true)
    expect(useProjectStore().openClipId).toBe(s1!.clipId)
    expect(useVideoStore().frame).toBe(s1!.frame)
  }, 300_000)
})
