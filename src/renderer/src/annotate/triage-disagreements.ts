// Runs in the renderer: the frames of the open clip where the model disagrees with itself, for the triage queue
// (triage.ts takes them as an input and stays pure). The backend measures them from the clip's latest track
// (track.disagreements); they are asked for again when another clip opens and when a Track run ends, since
// that run wrote a new track.
import { shallowRef, watch, type ShallowRef } from 'vue'
import { useClient } from '../stores/client'
import { useLabelsStore } from '../stores/labels'
import { useTrackFillStore } from './track-fill'

const NONE: ReadonlySet<number> = new Set()

export function useTriageDisagreements(): Readonly<ShallowRef<ReadonlySet<number>>> {
  const client = useClient()
  const labels = useLabelsStore()
  const fill = useTrackFillStore()
  const frames = shallowRef<ReadonlySet<number>>(NONE)
  let asked = 0
  watch(
    () => [labels.clip?.clipId ?? null, fill.received, fill.written] as const,
    async ([clipId], before) => {
      const mine = ++asked
      // Another clip's frames never show on this one, not even while its own are on the way.
      if (clipId !== before?.[0]) frames.value = NONE
      if (!clipId) return
      try {
        const r = await client.call('track.disagreements', { clipId })
        if (mine === asked) frames.value = new Set(r.frames)
      } catch (err) {
        // The look list still has every other reason; only this one is missing until the next try.
        console.warn(`The frames where the model disagrees with itself could not be read: ${String(err)}`)
      }
    },
    { immediate: true }
  )
  return frames
}
