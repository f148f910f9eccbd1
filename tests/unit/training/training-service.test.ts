// Runs in Node (Vitest): the Train tab's methods through the real backend and dispatch (the contract checks
// every reply) with the real Python package and an untrained tiny MMFNet as the base: the data summary of a
// generated two-clip project, adaptation streaming its chart points and saving the model in the project where
// the tracker lists it, Stop answering at once and still saving the best model so far, resuming a run cut
// short, "label these next" from the track of the adapted model, and the refusals a user can meet. Skips where
// no Python has PyTorch.
import { execFile } from 'node:child_process'
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeTwoMatchProject } from '../../helpers/two-match-project'
import { dispatch } from '../../../src/backend/rpc/dispatch'
import { createBackend, type Backend } from '../../../src/backend/services'
import { findTorchPython } from '../../../src/backend/training/python'
import { projectRunsDir } from '../../../src/backend/training/project-models'
import type { Result } from '@shared/api/contract'
import { EMPTY_FRAME } from '@shared/project/frame-state'
import { keepLabelsBefore, LABELLED_FRAMES } from './sparse-labels'
import type { EventMessage } from '@shared/api/wire'

const python = await findTorchPython()
const reason = 'problem' in python ? `no Python with PyTorch: ${python.problem}` : null
const fixture = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'models', 'tiny_adapt_base.py')

type Job = Result<'training.start'>

describe.skipIf(reason !== null)('adaptation in the studio', () => {
  let dir: string
  let projectDir: string
  let base: string
  let backend: Backend
  const events: EventMessage[] = []
  let id = 0
  const call = async <T = Record<string, unknown>>(method: string, params: unknown): Promise<T> => {
    const r = await dispatch(backend.handlers, { type: 'request', id: ++id, method, params })
    if (!r.ok) throw new Error(`${method}: ${r.error.code}: ${r.error.message}`)
    return r.result as T
  }
  const ended = (jobId: string): Promise<Job> =>
    new Promise((resolve) => {
      const check = (m: EventMessage): void => {
        const p = m.payload as Job
        if (m.event === 'training.update' && p.jobId === jobId && !['queued', 'running'].includes(p.state))
          resolve(p)
      }
      events.forEach(check)
      backend.events.subscribe(check)
    })

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'adapt-studio-'))
    projectDir = path.join(dir, 'project')
    await makeTwoMatchProject(projectDir)
    // Sparse labels, as a person leaves them: the last third of each clip has none (what "label next" is for).
    for (const match of ['match_a', 'match_b']) await keepLabelsBefore(projectDir, match, LABELLED_FRAMES)
    base = path.join(dir, 'base', 'tiny.onnx')
    await mkdir(path.dirname(base))
    await promisify(execFile)((python as { path: string }).path, [fixture, base])
    backend = await createBackend({ host: 'cli', version: 'test', cacheDir: path.join(dir, 'cache') })
    backend.events.subscribe((m) => events.push(m))
  }, 180_000)
  afterAll(async () => {
    await backend?.handlers['project.close']({})
    backend?.dispose()
    await rm(dir, { recursive: true, force: true })
  })

  it('refuses without an open project, saying what to do', async () => {
    await expect(call('training.summary', {})).rejects.toThrow(/No project is open/)
    await expect(call('training.start', { minutes: 1 })).rejects.toThrow(/No project is open/)
    const status = await call<Result<'training.status'>>('training.status', {})
    expect(status.python?.torch).toMatch(/^\d/)
    expect(status.unfinished).toEqual([])
  })

  it('summarises what it would train on and hold back, per clip', async () => {
    await call('project.create', { dir: projectDir, name: 'Adapt' })
    const s = await call<Result<'training.summary'>>('training.summary', {})
    expect(s.problem).toBeNull()
    expect(s.clips.map((c) => c.match).sort()).toEqual(['match_a', 'match_b'])
    // Two labelled clips: each gives its last quarter by time (too few clips to hold a whole one back).
    expect(s.clips.map((c) => c.heldBack)).toEqual(['time', 'time'])
    expect(s.trainFrames + s.heldFrames).toBe(2 * LABELLED_FRAMES)
    expect(s.clips.map((c) => c.labelled)).toEqual([LABELLED_FRAMES, LABELLED_FRAMES])
    expect(s.heldFrames).toBeGreaterThan(0)
  })

  it('counts an edit made a moment ago, before its save: the CSVs it reads are saved first', async () => {
    const lib = await call<Result<'project.library'>>('project.library', {})
    const clip = lib.matches.find((m) => m.name === 'match_a')!.clips[0]!
    await call('clip.open', { clipId: clip.clipId })
    const hidden = { visibility: 'hidden', source: 'human', review: 'corrected', confidence: null }
    const frames = { from: LABELLED_FRAMES, to: LABELLED_FRAMES + 1 }
    await call('labels.edit', { clipId: clip.clipId, edits: [{ kind: 'range', ...frames, patch: hidden }] })
    const s = await call<Result<'training.summary'>>('training.summary', {})
    expect(s.clips.find((c) => c.match === 'match_a')!.labelled).toBe(LABELLED_FRAMES + 2)
    // Back as it was for the tests below.
    await call('labels.edit', {
      clipId: clip.clipId,
      edits: [{ kind: 'range', ...frames, patch: EMPTY_FRAME }]
    })
    await call('clip.close', { clipId: clip.clipId })
    const after = await call<Result<'training.summary'>>('training.summary', {})
    expect(after.clips.map((c) => c.labelled)).toEqual([LABELLED_FRAMES, LABELLED_FRAMES])
  })

  it('refuses a base model without its PyTorch weights, naming the file', async () => {
    const lonely = path.join(dir, 'lonely', 'tiny.onnx')
    await mkdir(path.dirname(lonely))
    await copyFile(base, lonely)
    await expect(call('training.start', { minutes: 1, base: lonely })).rejects.toThrow(/tiny\.pt/)
  })

  let adapted: Job
  it('adapts, streams the chart, and saves the model in the project where the tracker lists it', async () => {
    const job = await call<Job>('training.start', { minutes: 1.5, base, name: 'first' })
    expect(job.state).toBe('running')
    adapted = await ended(job.jobId)
    expect(adapted.message).not.toMatch(/error/i)
    expect(adapted.state).toBe('done')
    expect(adapted.modelPath).toBe(path.join(projectDir, '.studio', 'models', 'first.onnx'))
    expect(existsSync(adapted.modelPath!)).toBe(true)
    expect(existsSync(path.join(projectDir, '.studio', 'models', 'first.pt'))).toBe(true)
    expect(adapted.losses.length).toBeGreaterThan(0)
    expect(adapted.f1Before).not.toBeNull()
    expect(adapted.bestF1).not.toBeNull()
    expect(adapted.trainFrames).toBeGreaterThan(0)
    const models = await call<Result<'models.list'>>('models.list', {})
    expect(models.models.find((m) => m.id === 'first')).toMatchObject({ source: 'project', problem: null })
    const record = JSON.parse(await readFile(path.join(adapted.runDir, 'run.json'), 'utf8')) as {
      finished: boolean
    }
    expect(record.finished).toBe(true)
  }, 300_000)

  it('Stop answers at once, and the best model so far is still saved', async () => {
    let jobId = ''
    let stopAsked = false
    const phases: string[] = []
    const shownAtReply = new Promise<string>((resolve) =>
      backend.events.subscribe((m) => {
        const p = m.payload as Job
        if (m.event !== 'training.update' || p.jobId !== jobId) return
        phases.push(p.phase)
        if (!stopAsked && p.step > 0) {
          stopAsked = true
          void call<{ cancelled: boolean }>('training.cancel', { jobId }).then((r) => {
            expect(r.cancelled).toBe(true)
            // What the tab shows when the reply comes: already stopping.
            resolve(phases.at(-1) ?? '')
          })
        }
      })
    )
    // Minutes enough that only Stop can end it in time.
    jobId = (await call<Job>('training.start', { minutes: 30, base, name: 'stopped' })).jobId
    expect(await shownAtReply).toBe('stopping')
    const end = await ended(jobId)
    expect(end.state).toBe('cancelled')
    expect(end.stopped).toBe(true)
    expect(end.message).toMatch(/best model so far was saved as stopped/)
    expect(existsSync(end.modelPath!)).toBe(true)
  }, 300_000)

  it('offers a run cut short for resuming, and resumes it into a saved model', async () => {
    // A run cut short by a crash: its record, manifest and checkpoints (last and best), and no model.
    const jobId = 'adapt-crashed-1'
    const runDir = path.join(projectRunsDir(projectDir), jobId)
    await mkdir(runDir, { recursive: true })
    for (const f of ['manifest.json', 'last.pt', 'best.pt'])
      await copyFile(path.join(adapted.runDir, f), path.join(runDir, f))
    const record = {
      version: 1,
      jobId,
      base: base,
      basePt: base.replace(/\.onnx$/, '.pt'),
      name: 'resumed',
      minutes: 0.6,
      maxFrames: null,
      startedAt: Date.now(),
      finished: false
    }
    await writeFile(path.join(runDir, 'run.json'), JSON.stringify(record))
    // And an older one, which the user discards.
    const older = path.join(projectRunsDir(projectDir), 'adapt-crashed-0')
    await mkdir(older)
    await copyFile(path.join(runDir, 'last.pt'), path.join(older, 'last.pt'))
    const olderRecord = {
      ...record,
      jobId: 'adapt-crashed-0',
      name: 'older',
      startedAt: record.startedAt - 1000
    }
    await writeFile(path.join(older, 'run.json'), JSON.stringify(olderRecord))
    const listed = await call<Result<'training.status'>>('training.status', {})
    expect(listed.unfinished.map((r) => r.jobId)).toEqual([jobId, 'adapt-crashed-0'])
    expect(await call('training.discard', { jobId: 'adapt-crashed-0' })).toEqual({ discarded: true })
    expect(existsSync(older)).toBe(false)
    expect(await call('training.discard', { jobId: 'adapt-crashed-0' })).toEqual({ discarded: false })
    const status = await call<Result<'training.status'>>('training.status', {})
    expect(status.unfinished.map((r) => r.jobId)).toEqual([jobId])
    const job = await call<Job>('training.resume', { jobId })
    expect(job.resumed).toBe(true)
    const end = await ended(jobId)
    expect(end.message).toMatch(/^Saved as resumed/)
    expect(end.state).toBe('done')
    expect(existsSync(path.join(projectDir, '.studio', 'models', 'resumed.onnx'))).toBe(true)
    expect((await call<Result<'training.status'>>('training.status', {})).unfinished).toEqual([])
    await expect(call('training.resume', { jobId })).rejects.toThrow(/no unfinished run/)
  }, 300_000)

  it('suggests frames to label from a model’s track, spread and few', async () => {
    const lib = await call<Result<'project.library'>>('project.library', {})
    // The untrained base, not an adapted model: how many steps an adaptation gets depends on the machine's
    // load, so what an adapted model is sure of is not fixed; the seeded untrained model's outputs are.
    const before = await call<Result<'training.suggest'>>('training.suggest', { model: base })
    expect(before.frames).toEqual([])
    expect(before.note).toMatch(/track the clips/)
    // Track one clip with it: the existing tracking job.
    const clip = lib.matches[0]!.clips[0]!
    const { jobId } = await call<{ jobId: string }>('track.start', { path: clip.videoPath, model: base })
    await new Promise<void>((resolve) =>
      backend.events.subscribe((m) => {
        const p = m.payload as { jobId: string; state: string }
        if (m.event === 'track.progress' && p.jobId === jobId && p.state === 'done') resolve()
      })
    )
    const s = await call<Result<'training.suggest'>>('training.suggest', { model: base, max: 10 })
    expect(s.tracked).toBe(1)
    // The untrained tiny model is unsure everywhere: the unlabelled frames, a few frames apart, are suggested.
    expect(s.frames.length).toBeGreaterThan(0)
    expect(s.frames.length).toBeLessThanOrEqual(10)
    for (const f of s.frames) {
      expect(f.clipId).toBe(clip.clipId)
      expect(f.frame).toBeGreaterThanOrEqual(LABELLED_FRAMES)
    }
    const frames = s.frames.map((f) => f.frame)
    for (let i = 1; i < frames.length; i++) expect(frames[i]! - frames[i - 1]!).toBeGreaterThanOrEqual(8)
  }, 300_000)
})

if (reason) console.log(`training service tests skipped: ${reason}`)
