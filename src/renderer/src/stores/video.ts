// Runs in the renderer: the open video and the playhead — open, step, seek, play — and the prefetch hints
// that keep the backend's decoder ahead of the user.
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { Result } from '@shared/api/contract'
import { useClient } from './client'

type Opened = Result<'video.open'>
type FrameTime = Result<'video.frameTimes'>[number]

const TIME_CHUNK = 2000

export const useVideoStore = defineStore('video', () => {
  const video = shallowRef<Opened | null>(null)
  const frame = ref(0)
  const playing = ref(false)
  const opening = ref(false)
  const direction = ref<1 | -1>(1)
  const timeChunks = shallowRef(new Map<number, FrameTime[]>())
  let requestedChunks = new Set<number>()

  const info = computed(() => video.value?.info ?? null)
  const frameCount = computed(() => info.value?.frameCount ?? 0)
  const lastFrame = computed(() => Math.max(0, frameCount.value - 1))

  /** Seconds since frame 0 of the current frame, from the demuxed index (exact on VFR video). */
  const currentTime = computed<number | null>(() => {
    const chunk = timeChunks.value.get(Math.floor(frame.value / TIME_CHUNK))
    return chunk?.[frame.value % TIME_CHUNK]?.time ?? null
  })

  async function open(path: string): Promise<void> {
    const client = useClient()
    opening.value = true
    try {
      show(await client.call('video.open', { path }), true)
    } finally {
      opening.value = false
    }
  }

  /**
   * Whether the shown video is a hold this store took with video.open. Opening a file that is open already gives
   * the same id (the backend shares the handle) and one more hold: every video.open is matched by one video.close.
   */
  let holding = false

  /** Shows a video the backend already opened (a project's clip), letting go of the one shown before. */
  function adopt(opened: Opened): void {
    show(opened, false)
  }

  function show(opened: Opened, held: boolean): void {
    const previous = video.value
    const previousHeld = holding
    holding = held
    video.value = opened
    frame.value = 0
    playing.value = false
    timeChunks.value = new Map()
    requestedChunks = new Set()
    void ensureTimes(0)
    // A hold of this store is released even when the same video comes back (that open took its own hold). A
    // clip's video is the project's hold, not this store's: the project lets it go when it closes the clip
    // (stores/project.ts), so closing it here would leave the still-open clip with a closed video.
    if (previous && previousHeld) {
      void useClient()
        .call('video.close', { videoId: previous.videoId })
        .catch(() => undefined)
    }
  }

  async function ensureTimes(n: number): Promise<void> {
    const v = video.value
    if (!v) return
    const index = Math.floor(n / TIME_CHUNK)
    if (requestedChunks.has(index)) return
    requestedChunks.add(index)
    const times = await useClient().call('video.frameTimes', {
      videoId: v.videoId,
      from: index * TIME_CHUNK,
      count: TIME_CHUNK
    })
    if (video.value?.videoId !== v.videoId) return
    const next = new Map(timeChunks.value)
    next.set(index, times)
    timeChunks.value = next
  }

  function seek(n: number): void {
    if (!video.value) return
    const clamped = Math.min(lastFrame.value, Math.max(0, Math.round(n)))
    if (clamped === frame.value) return
    direction.value = clamped >= frame.value ? 1 : -1
    frame.value = clamped
    void ensureTimes(clamped)
    hintPrefetch(clamped)
  }

  function step(delta: number): void {
    seek(frame.value + delta)
  }

  let lastHint = 0
  function hintPrefetch(n: number): void {
    const v = video.value
    const now = performance.now()
    if (!v || now - lastHint < 50) return
    lastHint = now
    void useClient()
      .call('video.prefetch', {
        videoId: v.videoId,
        frame: n,
        direction: direction.value > 0 ? 'forward' : 'backward'
      })
      .catch(() => undefined)
  }

  function setPlaying(on: boolean): void {
    playing.value = on && !!video.value && frame.value < lastFrame.value
  }

  return {
    video,
    info,
    frame,
    frameCount,
    lastFrame,
    playing,
    opening,
    direction,
    currentTime,
    open,
    adopt,
    seek,
    step,
    setPlaying,
    ensureTimes
  }
})
