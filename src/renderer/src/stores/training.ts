// Runs in the renderer: the Train tab's adaptation loop — what the open project would train on, the frames to
// label next (and going through them in the Frames view), adapting the tracking model (progress pushed by the
// backend, Stop, Resume of a run cut short), using the adapted model, and re-tracking the project's clips with
// it through the ordinary tracking job, one clip after another.
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { Result } from '../../../shared/api/contract'
import { useClient } from './client'
import { useProjectStore } from './project'
import { useTrackingStore } from './tracking'
import { useVideoStore } from './video'

type Status = Result<'training.status'>
export type TrainingJob = NonNullable<Status['job']>
export type AdaptSummary = Result<'training.summary'>
export type Suggestion = Result<'training.suggest'>['frames'][number]

/** What the tab shows, in the order it is decided: the first that applies. */
export type TrainView =
  'no-project' | 'no-python' | 'running' | 'stopped' | 'failed' | 'done' | 'too-few-labels' | 'ready'

export interface RetrackState {
  running: boolean
  /** Clips finished (done or failed) out of all. */
  done: number
  total: number
  clip: string | null
  failed: string[]
}

/** The default model to adapt, the bundled one, which ships with its PyTorch weights. */
export const DEFAULT_BASE = 'mmfnet-small'

export function trainView(o: {
  projectOpen: boolean
  status: Status | null
  job: TrainingJob | null
  summary: AdaptSummary | null
  projectDir: string | null
}): TrainView {
  if (!o.projectOpen) return 'no-project'
  if (o.status?.problem) return 'no-python'
  const job = o.job && o.job.projectDir === o.projectDir ? o.job : null
  if (job?.state === 'queued' || job?.state === 'running') return 'running'
  if (job?.state === 'cancelled') return 'stopped'
  if (job?.state === 'failed') return 'failed'
  if (job?.state === 'done') return 'done'
  if (o.summary?.problem) return 'too-few-labels'
  return 'ready'
}

export const useTrainingStore = defineStore('training', () => {
  const status = shallowRef<Status | null>(null)
  const job = shallowRef<TrainingJob | null>(null)
  const summary = shallowRef<AdaptSummary | null>(null)
  const suggestions = shallowRef<Suggestion[]>([])
  const suggestNote = ref<string | null>(null)
  /** Which suggestion the Frames view was last sent to (-1: none yet). */
  const cursor = ref(-1)
  const error = ref<string | null>(null)
  const minutes = ref(10)
  /** The model to adapt: the one the project tracks with unless chosen otherwise. */
  const base = ref<string | null>(null)
  const retrack = ref<RetrackState>({ running: false, done: 0, total: 0, clip: null, failed: [] })
  let unsubscribe: (() => void) | null = null

  const projectDir = computed(() => useProjectStore().library?.dir ?? null)
  const view = computed<TrainView>(() =>
    trainView({
      projectOpen: !!projectDir.value,
      status: status.value,
      job: job.value,
      summary: summary.value,
      projectDir: projectDir.value
    })
  )
  const running = computed(() => view.value === 'running')
  /** The base chosen, else the model the Frames view tracks with, else the bundled one. */
  const baseModel = computed(() => base.value ?? useTrackingStore().modelId ?? DEFAULT_BASE)

  function listen(): void {
    if (unsubscribe) return
    unsubscribe = useClient().on('training.update', (j) => {
      job.value = j
      // A model was just saved: the tracker's list has one more.
      if (j.state !== 'running' && j.state !== 'queued' && j.modelId) void useTrackingStore().loadModels()
    })
  }

  /** Python, the job, resumable runs and (with a project open) the data summary. */
  async function refresh(): Promise<void> {
    listen()
    error.value = null
    try {
      // Together: finding Python (a few seconds the first time) need not hold up the summary.
      const client = useClient()
      const [s, sum] = await Promise.all([
        client.call('training.status', {}),
        projectDir.value ? client.call('training.summary', {}) : null
      ])
      status.value = s
      if (s.job) job.value = s.job
      summary.value = sum
    } catch (err) {
      error.value = (err as Error).message
    }
  }

  async function loadSuggestions(model?: string): Promise<void> {
    error.value = null
    try {
      const r = await useClient().call('training.suggest', { model, max: 30 })
      suggestions.value = r.frames
      suggestNote.value = r.note
      cursor.value = -1
    } catch (err) {
      error.value = (err as Error).message
    }
  }

  /** Opens the clip of suggestion `i` (if it is not the open one) at its frame. */
  async function openSuggestion(i: number): Promise<boolean> {
    const s = suggestions.value[i]
    if (!s) return false
    const project = useProjectStore()
    if (project.openClipId !== s.clipId) await project.openClip(s.clipId)
    useVideoStore().seek(s.frame)
    cursor.value = i
    return true
  }

  /** The suggestion after the one last opened (wrapping around). */
  function nextSuggestion(): Promise<boolean> {
    const n = suggestions.value.length
    return n ? openSuggestion((cursor.value + 1) % n) : Promise.resolve(false)
  }

  async function act(fn: () => Promise<TrainingJob>): Promise<boolean> {
    listen()
    error.value = null
    try {
      job.value = await fn()
      return true
    } catch (err) {
      error.value = (err as Error).message
      return false
    }
  }

  function start(o: { name?: string; maxFrames?: number } = {}): Promise<boolean> {
    return act(() =>
      useClient().call('training.start', { minutes: minutes.value, base: baseModel.value, ...o })
    )
  }

  function resume(jobId: string): Promise<boolean> {
    return act(() => useClient().call('training.resume', { jobId }))
  }

  async function discard(jobId: string): Promise<void> {
    await useClient().call('training.discard', { jobId })
    await refresh()
  }

  /** Stop: the job shows 'stopping' at once (pushed before this returns); the best model so far is saved. */
  async function stop(): Promise<void> {
    if (job.value) await useClient().call('training.cancel', { jobId: job.value.jobId })
  }

  /** Makes the adapted model the one the Frames view tracks with (and the next adaptation starts from). */
  async function useModel(): Promise<boolean> {
    const id = job.value?.modelId
    if (!id) return false
    const tracking = useTrackingStore()
    await tracking.loadModels()
    if (!tracking.models.some((m) => m.id === id && !m.problem)) {
      error.value = `The tracker does not list ${id}: is the project still open?`
      return false
    }
    tracking.modelId = id
    base.value = null
    return true
  }

  /**
   * Tracks every clip of the project that has its video with the adapted model, one after another, through the
   * ordinary tracking job (its cache and the project's copy of the track included); then asks for new
   * suggestions from that model's tracks.
   */
  async function retrackAll(): Promise<void> {
    const model = job.value?.modelId
    const lib = useProjectStore().library
    if (!model || !lib || retrack.value.running) return
    const clips = lib.matches.flatMap((m) => m.clips).filter((c) => c.videoPath && !c.videoMissing)
    retrack.value = { running: true, done: 0, total: clips.length, clip: null, failed: [] }
    const client = useClient()
    for (const c of clips) {
      retrack.value = { ...retrack.value, clip: `${c.match}/${c.clip}` }
      let jobId: string | null = null
      const finished = new Promise<string>((resolve) => {
        const off = client.on('track.progress', (e) => {
          if (e.path !== c.videoPath || (jobId && e.jobId !== jobId)) return
          if (e.state === 'done' || e.state === 'failed' || e.state === 'cancelled') {
            off()
            resolve(e.state === 'done' ? '' : (e.message ?? e.state))
          }
        })
      })
      try {
        jobId = (await client.call('track.start', { path: c.videoPath!, model })).jobId
        const problem = await finished
        if (problem) retrack.value.failed.push(`${c.match}/${c.clip}: ${problem}`)
      } catch (err) {
        retrack.value.failed.push(`${c.match}/${c.clip}: ${(err as Error).message}`)
      }
      retrack.value = { ...retrack.value, done: retrack.value.done + 1 }
    }
    retrack.value = { ...retrack.value, running: false, clip: null }
    await loadSuggestions(model)
  }

  function dispose(): void {
    unsubscribe?.()
    unsubscribe = null
  }

  return {
    status,
    job,
    summary,
    suggestions,
    suggestNote,
    cursor,
    error,
    minutes,
    base,
    baseModel,
    retrack,
    view,
    running,
    refresh,
    loadSuggestions,
    openSuggestion,
    nextSuggestion,
    start,
    resume,
    discard,
    stop,
    useModel,
    retrackAll,
    dispose
  }
})
