// Runs in Node (Vitest): the evaluation store against a real backend (loopback transport, real ffmpeg, the
// bundled model through onnxruntime-node) on a generated, labelled match: the refusals a user can meet, a
// cancelled run, a run of two models with progress, table rows that are the backend's figures, per-frame
// outcomes decoded into the timeline lanes, and opening a worst frame in the frame view.
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { createPinia, setActivePinia } from 'pinia'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBackend, type Backend } from '../../../backend/services'
import { outcomeCode } from '@shared/evaluation/outcome-codes'
import { LoopbackTransport } from '../../../../tests/unit/support/loopback'
import { makeLabelledMatch, type LabelledMatch } from '../../../../tests/unit/evaluation/fixture'
import { StudioClient } from '../api/client'
import { evalLanes } from '../annotate/eval-lanes'
import { provideClient } from './client'
import { useEvaluationStore } from './evaluation'
import { useProjectStore } from './project'
import { useVideoStore } from './video'

async function until(check: () => boolean, ms = 180_000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('evaluation store', () => {
  let dir: string
  let data: LabelledMatch
  let backend: Backend

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'evaluation-store-'))
    data = await makeLabelledMatch(dir, 1)
    backend = await createBackend({ host: 'cli', version: 'test', cacheDir: path.join(dir, 'cache') })
    provideClient(new StudioClient(new LoopbackTransport(backend)))
    // One pinia for the whole file: the store keeps the result between the steps, as in the app.
    setActivePinia(createPinia())
  }, 120_000)
  afterAll(async () => {
    useEvaluationStore().dispose()
    await backend?.handlers['project.close']({})
    backend?.dispose()
    await rm(dir, { recursive: true, force: true })
  })

  it('says why it cannot start without a project, and with a model that cannot be used', async () => {
    const ev = useEvaluationStore()
    await ev.loadModels()
    expect(ev.modelA).toBe('mmfnet-small')
    expect(await ev.start()).toBe(false)
    expect(ev.error).toMatch(/No project is open/)
    await useProjectStore().create(data.projectDir)
    ev.modelA = path.join(dir, 'missing.onnx')
    expect(await ev.start()).toBe(false)
    expect(ev.error).toMatch(/The model cannot be used: .*does not exist/)
    ev.modelA = 'mmfnet-small'
  })

  it('cancels a running evaluation and says so', async () => {
    const ev = useEvaluationStore()
    expect(await ev.start()).toBe(true)
    await ev.cancel()
    await until(() => !ev.running)
    expect(ev.error).toMatch(/Cancelled/)
    expect(ev.done).toBeNull()
  })

  it('runs, shows progress, and lays out the backend figures as table rows, A and B', async () => {
    const ev = useEvaluationStore()
    const fractions: number[] = []
    ev.modelB = 'mmfnet-small'
    ev.rectifyB = false
    expect(await ev.start()).toBe(true)
    expect(ev.running).toBe(true)
    await until(() => {
      fractions.push(ev.fraction)
      return ev.done !== null
    })
    expect(ev.error).toBeNull()
    expect(ev.running).toBe(false)
    expect(Math.max(...fractions)).toBeGreaterThan(0)
    const r = await backend.handlers['evaluation.result']({ jobId: ev.jobId! })
    expect(ev.rows.map((x) => [x.kind, x.side, x.name])).toEqual([
      ['clip', 'A', `${data.match}/${data.clips[0]!.clip}`],
      ['clip', 'B', `${data.match}/${data.clips[0]!.clip}`],
      ['match', 'A', `${data.match} (1 clip)`],
      ['match', 'B', `${data.match} (1 clip)`],
      ['overall', 'A', 'overall'],
      ['overall', 'B', 'overall']
    ])
    expect(ev.rows[4]!.figures).toEqual(r.a!.overall)
    expect(ev.rows[5]!.figures).toEqual(r.b!.overall)
    expect(r.b!.rectify).toBe(false)
    expect(ev.rows[0]!.figures.tracknet.frames).toBe(r.a!.clips[0]!.evaluated)
  })

  it('decodes the per-frame outcomes into the eval lane and opens a worst frame in the frame view', async () => {
    const ev = useEvaluationStore()
    const clip = ev.done!.a!.clips[0]!
    const f = await ev.loadFrames(clip.clipId)
    expect(f!.frameCount).toBe(data.clips[0]!.frames)
    expect(f!.a.outcomes).toBeInstanceOf(Int8Array)
    expect(f!.a.outcomes.filter((c) => c === outcomeCode('TP')).length).toBe(clip.tracknet.TP)
    expect(f!.a.outcomes.filter((c) => c === outcomeCode('FN')).length).toBe(clip.tracknet.FN)
    expect(ev.framesOf(clip.clipId)).toBe(f)
    const lanes = evalLanes(ev.framesOf(clip.clipId))
    expect(lanes.map((l) => l.name)).toEqual(['eval A', 'eval B'])
    expect(lanes[0]!.values).toBe(f!.a.outcomes)
    expect(lanes[1]!.values).toBe(f!.b!.outcomes)

    const worst = ev.done!.a!.worst[0]!
    expect(worst).toBeDefined()
    await ev.openAt(worst.clipId, worst.frame)
    expect(useProjectStore().openClipId).toBe(worst.clipId)
    expect(useVideoStore().frame).toBe(worst.frame)
    expect(f!.a.outcomes[worst.frame]).toBe(outcomeCode(worst.outcome))
  })
})
