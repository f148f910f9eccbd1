// Runs in the renderer: evaluating models on the open project — the settings (model A, optionally model B,
// tolerance, what counts as ground truth), the job's progress and cancel, the figures as table rows, the worst
// frames and the A/B differences, and per clip the outcome of every frame (typed arrays, fetched once per clip)
// for the timeline's eval lane. The figures are computed by the backend with the shared metrics; nothing here
// recomputes them.
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { EventPayload, Result } from '@shared/api/contract'
import type { GroundTruthPolicy } from '@shared/evaluation/ground-truth'
import { decodeDistances, decodeOutcomes } from '@shared/evaluation/outcome-codes'
import { useBackendEvents } from '../composables/useBackendEvents'
import { useClient } from './client'
import { useProjectStore } from './project'
import { useVideoStore } from './video'

export type EvalResult = Result<'evaluation.result'>
export type EvalSide = NonNullable<EvalResult['a']>
export type EvalFigures = EvalSide['overall']
export type EvalErrorRun = EvalSide['worst'][number]
export type EvalCompareRun = NonNullable<EvalResult['comparison']>['runs'][number]
type Progress = EventPayload<'evaluation.progress'>
type ModelInfo = Result<'models.list'>['models'][number]

export interface TrackFrames {
  /** Outcome code per frame (evaluation/outcome-codes.ts), -1 where not evaluated. */
  outcomes: Int8Array
  /** Distance per frame in video pixels, NaN where prediction and label are not both visible. */
  distances: Float32Array
}

export interface EvalFrames {
  frameCount: number
  a: TrackFrames
  b: TrackFrames | null
}

export interface TableRow {
  kind: 'clip' | 'match' | 'overall'
  side: 'A' | 'B'
  name: string
  clipId: string | null
  figures: EvalFigures
}

export const useEvaluationStore = defineStore('evaluation', () => {
  const models = shallowRef<ModelInfo[]>([])
  const modelA = ref<string | null>(null)
  /** Null: no comparison. */
  const modelB = ref<string | null>(null)
  const rectifyA = ref(true)
  const rectifyB = ref(true)
  const tolerancePx = ref(4)
  const groundTruth = ref<GroundTruthPolicy>('people')
  const jobId = ref<string | null>(null)
  const progress = shallowRef<Progress | null>(null)
  const result = shallowRef<EvalResult | null>(null)
  const error = ref<string | null>(null)
  /** Whether the running job tracks each clip twice (A and B), for the progress bar. */
  const comparing = ref(false)
  /** Per clip of the current result, decoded once; replaced when a new result arrives. */
  const frames = shallowRef(new Map<string, EvalFrames>())
  let pendingFrames = new Map<string, Promise<EvalFrames | null>>()

  const running = computed(() => progress.value?.state === 'running')
  /** Clips done plus the share of the current clip's tracking, of all clips. */
  const fraction = computed(() => {
    const p = progress.value
    if (!p || p.clipsTotal === 0) return 0
    const current = p.framesTotal > 0 ? p.framesDone / p.framesTotal : 0
    const perClip = comparing.value ? 2 : 1
    const inClip = p.side === 'B' ? (1 + current) / perClip : current / perClip
    return Math.min(1, (p.clipsDone + (p.clipId ? inClip : 0)) / p.clipsTotal)
  })
  const done = computed(() => (result.value?.state === 'done' ? result.value : null))

  const rows = computed<TableRow[]>(() => {
    const r = done.value
    if (!r) return []
    const sides = [
      ['A', r.a],
      ['B', r.b]
    ] as const
    const out: TableRow[] = []
    const each = (add: (side: 'A' | 'B', s: EvalSide) => void): void => {
      for (const [side, s] of sides) if (s) add(side, s)
    }
    r.a?.clips.forEach((c, i) =>
      each((side, s) => {
        const k = s.clips[i] ?? c
        out.push({ kind: 'clip', side, name: `${k.match}/${k.clip}`, clipId: k.clipId, figures: k })
      })
    )
    r.a?.matches.forEach((m, i) =>
      each((side, s) => {
        const k = s.matches[i] ?? m
        const name = `${k.match} (${k.clips} ${k.clips === 1 ? 'clip' : 'clips'})`
        out.push({ kind: 'match', side, name, clipId: null, figures: k })
      })
    )
    each((side, s) => out.push({ kind: 'overall', side, name: 'overall', clipId: null, figures: s.overall }))
    return out
  })

  const events = useBackendEvents((client) => [
    client.on('evaluation.progress', (e) => {
      if (e.jobId !== jobId.value) return
      progress.value = e
      if (e.state !== 'running') void fetchResult(e.jobId)
    })
  ])

  async function loadModels(): Promise<void> {
    const r = await useClient().call('models.list', {})
    models.value = r.models
    if (!modelA.value || !r.models.some((m) => m.id === modelA.value)) modelA.value = r.defaultModel
    if (modelB.value && !r.models.some((m) => m.id === modelB.value)) modelB.value = null
  }

  async function start(clipIds?: string[]): Promise<boolean> {
    events.listen()
    error.value = null
    try {
      const r = await useClient().call('evaluation.start', {
        ...(modelA.value ? { model: modelA.value } : {}),
        rectify: rectifyA.value,
        ...(modelB.value ? { compare: { model: modelB.value, rectify: rectifyB.value } } : {}),
        ...(clipIds ? { clipIds } : {}),
        tolerancePx: tolerancePx.value,
        groundTruth: groundTruth.value
      })
      jobId.value = r.jobId
      comparing.value = !!modelB.value
      progress.value = {
        jobId: r.jobId,
        state: 'running',
        clipsDone: 0,
        clipsTotal: r.clips,
        clipId: null,
        clip: null,
        side: null,
        framesDone: 0,
        framesTotal: 0
      }
      return true
    } catch (err) {
      error.value = (err as Error).message
      return false
    }
  }

  async function cancel(): Promise<void> {
    if (jobId.value) await useClient().call('evaluation.cancel', { jobId: jobId.value })
  }

  /** The result of a job (the latest when left out); a failed or cancelled one keeps the last figures shown. */
  async function fetchResult(id?: string): Promise<void> {
    let r: EvalResult
    try {
      r = await useClient().call('evaluation.result', id ? { jobId: id } : {})
    } catch (err) {
      if (id) error.value = (err as Error).message
      return
    }
    jobId.value = r.jobId
    if (r.state === 'running') {
      events.listen()
      return
    }
    if (r.state !== 'done') {
      error.value = r.message
      return
    }
    result.value = r
    frames.value = new Map()
    pendingFrames = new Map()
  }

  /** The per-frame outcomes of a clip of the current result, fetched once; null when it was not evaluated. */
  function loadFrames(clipId: string | null): Promise<EvalFrames | null> {
    const r = done.value
    if (!clipId || !r || !r.a?.clips.some((c) => c.clipId === clipId)) return Promise.resolve(null)
    const have = frames.value.get(clipId)
    if (have) return Promise.resolve(have)
    let p = pendingFrames.get(clipId)
    if (!p) {
      p = useClient()
        .call('evaluation.frames', { jobId: r.jobId, clipId })
        .then((w) => {
          const decode = (x: { outcomes: string; distances: string }): TrackFrames => ({
            outcomes: decodeOutcomes(x.outcomes),
            distances: decodeDistances(x.distances, w.frameCount)
          })
          const f: EvalFrames = { frameCount: w.frameCount, a: decode(w.a), b: w.b ? decode(w.b) : null }
          if (result.value?.jobId === r.jobId) {
            const next = new Map(frames.value)
            next.set(clipId, f)
            frames.value = next
          }
          return f
        })
        .catch((err: Error) => {
          error.value = err.message
          pendingFrames.delete(clipId)
          return null
        })
      pendingFrames.set(clipId, p)
    }
    return p
  }

  /** The decoded frames of a clip when they are loaded and belong to the open project. */
  function framesOf(clipId: string | null | undefined): EvalFrames | null {
    if (!clipId || done.value?.projectDir !== useProjectStore().library?.dir) return null
    return frames.value.get(clipId) ?? null
  }

  /** Opens the clip (if it is not the open one) and shows the frame. */
  async function openAt(clipId: string, frame: number): Promise<void> {
    const project = useProjectStore()
    if (project.openClipId !== clipId) await project.openClip(clipId)
    useVideoStore().seek(frame)
    void loadFrames(clipId)
  }

  return {
    models,
    modelA,
    modelB,
    rectifyA,
    rectifyB,
    tolerancePx,
    groundTruth,
    jobId,
    progress,
    result,
    error,
    frames,
    running,
    fraction,
    done,
    rows,
    loadModels,
    start,
    cancel,
    fetchResult,
    loadFrames,
    framesOf,
    openAt,
    dispose: events.dispose
  }
})
