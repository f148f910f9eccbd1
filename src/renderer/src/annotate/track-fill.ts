// Runs in the renderer: what makes "Track" label the clip. When a track the user started finishes, its points
// become the clip's model labels at once (predictions.ts decides which frames), as one undoable edit — once per
// finished job. A track that finishes while another clip is open waits here and is written when its clip is
// opened again. Tracks run for an evaluation are not the user's "Track" and never change labels.
import { defineStore } from 'pinia'
import { ref, shallowRef, watch } from 'vue'
import type { LabelEdit } from '@shared/project/schemas'
import { RequestError } from '../api/transport'
import { useClient } from '../stores/client'
import { useLabelsStore } from '../stores/labels'
import { useTrackingStore, type ProviderChoice, type TrackedPoint } from '../stores/tracking'
import { predictionsEdit } from './predictions'

type TrackState = NonNullable<ReturnType<typeof useTrackingStore>['progress']>['state']
const ENDED: ReadonlySet<TrackState> = new Set<TrackState>(['done', 'failed', 'cancelled'])

/** A track started with the Track button, remembered until it ends (the open clip may change meanwhile). */
interface StartedTrack {
  path: string
  model: string | null
  provider: ProviderChoice
}

/** What the last fill did, for the line under the frame. */
export interface FillOutcome {
  clipId: string
  frames: number
  /** The edit that did it (null when no frame changed), so Undo is offered only while it is the last step. */
  edit: LabelEdit | null
}

export const useTrackFillStore = defineStore('trackFill', () => {
  const client = useClient()
  const tracking = useTrackingStore()
  const labels = useLabelsStore()
  /** Running tracks the user started: jobId → what it tracks. */
  const started = new Map<string, StartedTrack>()
  /** Finished tracks whose labels are not written yet: video path → the job and how to run it again. */
  const waiting = new Map<string, { jobId: string; track: StartedTrack }>()
  const outcome = shallowRef<FillOutcome | null>(null)
  const problem = ref<string | null>(null)
  /** Counts of finished tracks received and of fills written (done, or nothing to change), to wait on. */
  const received = ref(0)
  const written = ref(0)

  /** Tracks asked for with Track whose job id the backend has not answered yet: video path → how. */
  const starting = new Map<string, StartedTrack>()
  /** Jobs that ended before track.start answered (so the answer must not start following them again). */
  const endedEarly = new Set<string>()
  /** Follows a job the user started, once track.start has answered with its id. */
  function follow(jobId: string, track: StartedTrack): void {
    starting.delete(track.path)
    if (!endedEarly.delete(jobId)) started.set(jobId, track)
  }

  // Only the user's Track counts (the tracking store's start), not the evaluation's tracks of the same videos.
  tracking.$onAction(({ name, args, after, onError }) => {
    if (name !== 'start') return
    const track: StartedTrack = {
      path: args[0] as string,
      model: tracking.modelId,
      provider: tracking.provider
    }
    starting.set(track.path, track)
    onError(() => void starting.delete(track.path))
    after(() => {
      if (tracking.jobId && !tracking.error) follow(tracking.jobId, track)
      else starting.delete(track.path)
    })
  })

  client.on('track.progress', (e) => {
    // Its events may come before the answer to track.start (a track from the cache ends at once).
    const early = starting.get(e.path)
    if (early && !started.has(e.jobId)) started.set(e.jobId, early)
    if (!ENDED.has(e.state)) return
    if (early) endedEarly.add(e.jobId)
    const track = started.get(e.jobId)
    if (!track) return
    started.delete(e.jobId)
    if (e.state !== 'done') return
    waiting.set(track.path, { jobId: e.jobId, track })
    received.value++
    void deliver()
  })

  watch(
    () => labels.clip,
    () => void deliver()
  )

  /** Writes the waiting track of the open clip, if there is one. */
  async function deliver(): Promise<void> {
    const clip = labels.clip
    const entry = clip ? waiting.get(clip.info.path) : undefined
    if (!clip || !entry) return
    waiting.delete(clip.info.path)
    let result
    try {
      result = await client.call('track.result', { jobId: entry.jobId })
    } catch (err) {
      // The backend keeps a few finished jobs only (or restarted): run it again, which the cache makes instant.
      if (err instanceof RequestError && err.code === 'not-found') return void restart(entry.track)
      problem.value = `The track is done but its labels could not be fetched: ${(err as Error).message}`
      return
    }
    if (labels.clip?.clipId !== clip.clipId) {
      waiting.set(clip.info.path, entry)
      return
    }
    if (result.state !== 'done') return
    const points: (TrackedPoint | undefined)[] = []
    for (const p of result.points) points[p.frame] = p
    const { edit, frames } = predictionsEdit(labels.columns, points)
    if (edit && !(await labels.apply([edit]))) return
    problem.value = null
    outcome.value = { clipId: clip.clipId, frames, edit }
    written.value++
  }

  async function restart(track: StartedTrack): Promise<void> {
    starting.set(track.path, track)
    try {
      const { jobId } = await client.call('track.start', {
        path: track.path,
        ...(track.model ? { model: track.model } : {}),
        provider: track.provider
      })
      follow(jobId, track)
    } catch (err) {
      starting.delete(track.path)
      problem.value = `The track is done but its labels could not be fetched; track again. (${(err as Error).message})`
    }
  }

  function dismiss(): void {
    outcome.value = null
    problem.value = null
  }

  return { outcome, problem, received, written, dismiss }
})
