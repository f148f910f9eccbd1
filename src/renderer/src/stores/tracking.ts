// Runs in the renderer: tracking the open video — the models to choose from, the job's progress (frames, fps,
// ETA, which execution provider runs), cancelling, and the predicted point of every frame, filled in chunk by
// chunk while the tracker runs and replaced by the rectified track when it is done.
import { defineStore } from 'pinia'
import { computed, ref, shallowRef, triggerRef } from 'vue'
import type { EventPayload, Params, Result } from '@shared/api/contract'
import { useBackendEvents } from '../composables/useBackendEvents'
import { useClient } from './client'

export type TrackedPoint = Result<'track.result'>['points'][number]
export type ModelInfo = Result<'models.list'>['models'][number]
type Progress = EventPayload<'track.progress'>
export type ProviderChoice = NonNullable<Params<'track.start'>['provider']>
export const PROVIDER_CHOICES: readonly ProviderChoice[] = ['auto', 'cpu', 'cuda', 'dml', 'coreml']
/** The execution-provider setting survives a restart (the machine does not change between sessions). */
const PROVIDER_KEY = 'shuttle-studio.tracking.provider'
/** Fast windows (track.start's fast) survive a restart too: a user who chose speed for long matches keeps it. */
const FAST_KEY = 'shuttle-studio.tracking.fast'

/** The part of the Web Storage API used here; typed locally so the store also type-checks (and runs) in Node. */
export interface SettingsStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
}
function settings(): SettingsStorage | undefined {
  return (globalThis as { localStorage?: SettingsStorage }).localStorage
}

function savedProvider(): ProviderChoice {
  const v = settings()?.getItem(PROVIDER_KEY)
  return PROVIDER_CHOICES.find((c) => c === v) ?? 'auto'
}

export const useTrackingStore = defineStore('tracking', () => {
  const models = shallowRef<ModelInfo[]>([])
  const modelId = ref<string | null>(null)
  /** auto tries the best provider the machine has, then the CPU; any other choice forces that one. */
  const provider = ref<ProviderChoice>(savedProvider())
  /** Each frame seen by one model window instead of several: about twice as fast, a little less accurate. */
  const fast = ref(settings()?.getItem(FAST_KEY) === 'true')
  /** The video being (or last) tracked; events for other videos are ignored. */
  const path = ref<string | null>(null)
  const jobId = ref<string | null>(null)
  const progress = shallowRef<Progress | null>(null)
  const error = ref<string | null>(null)
  /** points[frame]; a shallow array re-triggered per chunk, so a 100 000-frame track is not made deep-reactive. */
  const points = shallowRef<(TrackedPoint | undefined)[]>([])
  /** Bumped whenever points change, for views to watch (the array itself stays the same object per chunk). */
  const version = ref(0)

  const state = computed(() => progress.value?.state ?? null)
  const running = computed(() => state.value === 'queued' || state.value === 'running')
  const fraction = computed(() => {
    const p = progress.value
    return p && p.total > 0 ? p.done / p.total : 0
  })

  const events = useBackendEvents((client) => [
    client.on('track.progress', (e) => {
      if (e.path !== path.value) return
      jobId.value = e.jobId
      progress.value = e
      if (e.state === 'failed') error.value = e.message ?? 'Tracking failed.'
      if (e.state === 'done') void fetchResult(e.jobId)
    }),
    client.on('track.chunk', (e) => {
      if (e.path !== path.value) return
      const arr = points.value
      for (const p of e.points) arr[p.frame] = p
      triggerRef(points)
      version.value++
    })
  ])

  async function loadModels(): Promise<void> {
    const r = await useClient().call('models.list', {})
    models.value = r.models
    if (!modelId.value || !r.models.some((m) => m.id === modelId.value)) modelId.value = r.defaultModel
  }

  async function start(videoPath: string): Promise<void> {
    events.listen()
    error.value = null
    if (path.value !== videoPath) {
      points.value = []
      version.value++
    }
    path.value = videoPath
    progress.value = null
    try {
      const r = await useClient().call('track.start', {
        path: videoPath,
        model: modelId.value ?? undefined,
        provider: provider.value,
        fast: fast.value
      })
      jobId.value = r.jobId
    } catch (err) {
      error.value = (err as Error).message
    }
  }

  async function cancel(): Promise<void> {
    if (jobId.value) await useClient().call('track.cancel', { jobId: jobId.value })
  }

  async function fetchResult(id: string): Promise<void> {
    const r = await useClient().call('track.result', { jobId: id })
    if (r.path !== path.value || r.state !== 'done') return
    const arr: (TrackedPoint | undefined)[] = []
    for (const p of r.points) arr[p.frame] = p
    points.value = arr
    version.value++
  }

  /** Forgets the track when another video is opened. */
  function forVideo(videoPath: string | null): void {
    if (videoPath === path.value) return
    path.value = videoPath
    points.value = []
    version.value++
    progress.value = null
    jobId.value = null
    error.value = null
  }

  function setProvider(p: ProviderChoice): void {
    provider.value = p
    settings()?.setItem(PROVIDER_KEY, p)
  }

  function setFast(on: boolean): void {
    fast.value = on
    settings()?.setItem(FAST_KEY, String(on))
  }

  function pointAt(frame: number): TrackedPoint | null {
    return points.value[frame] ?? null
  }

  return {
    models,
    modelId,
    provider,
    setProvider,
    fast,
    setFast,
    path,
    jobId,
    progress,
    error,
    points,
    version,
    state,
    running,
    fraction,
    loadModels,
    start,
    cancel,
    forVideo,
    pointAt,
    dispose: events.dispose
  }
})
