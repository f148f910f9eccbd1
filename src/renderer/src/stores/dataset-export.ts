// Runs in the renderer: exporting the open project as a TrackNet training set (dataset.export) — the options the
// method takes, the job's progress from dataset.progress, Cancel (dataset.cancel) that shows at once that it was
// asked for, and how it ended: where it went and the frames written, or the backend's message.
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { EventPayload, Params } from '@shared/api/contract'
import { isJobActive } from '@shared/api/methods/jobs'
import { useBackendEvents } from '../composables/useBackendEvents'
import { useClient } from './client'

type Progress = EventPayload<'dataset.progress'>
export type UnlabelledFrames = NonNullable<Params<'dataset.export'>['unlabelled']>

/** What the export panel shows: the form, the job, or how the last job ended. */
export type ExportView = 'form' | 'running' | 'done' | 'cancelled' | 'failed'

export const useDatasetExportStore = defineStore('dataset-export', () => {
  const dir = ref('')
  const valFraction = ref(0.2)
  const unlabelled = ref<UnlabelledFrames>('omit')
  const reviewedOnly = ref(false)
  const jpegQuality = ref(2)

  const jobId = ref<string | null>(null)
  /** The folder the current (or last) job writes into, as it was when it started. */
  const target = ref<string | null>(null)
  const split = shallowRef<{ train: string[]; val: string[] } | null>(null)
  const progress = shallowRef<Progress | null>(null)
  const starting = ref(false)
  const cancelling = ref(false)
  const error = ref<string | null>(null)
  // Events that came before the reply named the job (a tiny export may end that soon): the last per job.
  const early = new Map<string, Progress>()

  const events = useBackendEvents((client) => [
    client.on('dataset.progress', (e) => {
      if (e.jobId === jobId.value) apply(e)
      else if (starting.value) early.set(e.jobId, e)
    })
  ])

  function apply(e: Progress): void {
    progress.value = e
    if (!isJobActive(e.state)) cancelling.value = false
    if (e.state === 'failed') error.value = e.message ?? 'The export failed.'
  }

  const view = computed<ExportView>(() => {
    if (error.value && !jobId.value) return 'failed'
    const state = progress.value?.state
    if (!jobId.value || !state) return jobId.value ? 'running' : 'form'
    if (state === 'queued' || state === 'running') return 'running'
    return state
  })
  const fraction = computed(() => {
    const p = progress.value
    return p && p.total > 0 ? p.done / p.total : 0
  })

  async function start(): Promise<void> {
    events.listen()
    reset()
    const chosen = dir.value.trim()
    if (!chosen) {
      error.value = 'Give a folder to export into.'
      return
    }
    starting.value = true
    try {
      const r = await useClient().call('dataset.export', {
        dir: chosen,
        valFraction: valFraction.value,
        unlabelled: unlabelled.value,
        reviewedOnly: reviewedOnly.value,
        jpegQuality: jpegQuality.value
      })
      target.value = chosen
      split.value = { train: r.train, val: r.val }
      jobId.value = r.jobId
      const first = early.get(r.jobId)
      if (first) apply(first)
    } catch (err) {
      error.value = (err as Error).message
    } finally {
      starting.value = false
      early.clear()
    }
  }

  /** Asks the backend to stop; the job's own event then says it ended ('cancelled'). */
  async function cancel(): Promise<void> {
    const id = jobId.value
    if (!id || view.value !== 'running') return
    cancelling.value = true
    try {
      await useClient().call('dataset.cancel', { jobId: id })
    } catch (err) {
      cancelling.value = false
      error.value = (err as Error).message
    }
  }

  /** Back to the form (the options are kept); a running job is left running. */
  function reset(): void {
    jobId.value = null
    target.value = null
    split.value = null
    progress.value = null
    cancelling.value = false
    error.value = null
  }

  return {
    dir,
    valFraction,
    unlabelled,
    reviewedOnly,
    jpegQuality,
    jobId,
    target,
    split,
    progress,
    starting,
    cancelling,
    error,
    view,
    fraction,
    start,
    cancel,
    reset,
    dispose: events.dispose
  }
})
