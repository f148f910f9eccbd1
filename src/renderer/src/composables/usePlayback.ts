// Runs in the renderer: playback at the video's frame rate, paced by the wall clock. When decoding falls
// behind, frames are skipped rather than the clock slowed, as a player does.
import { onBeforeUnmount, watch } from 'vue'
import { useVideoStore } from '../stores/video'

export function usePlayback(): void {
  const video = useVideoStore()
  let raf = 0
  let startFrame = 0
  let startTime = 0

  const tick = (now: number): void => {
    const fps = video.info?.fps ?? 30
    const target = startFrame + Math.floor(((now - startTime) / 1000) * fps)
    if (target >= video.lastFrame) {
      video.seek(video.lastFrame)
      video.setPlaying(false)
      return
    }
    if (target !== video.frame) video.seek(target)
    raf = requestAnimationFrame(tick)
  }

  watch(
    () => video.playing,
    (on) => {
      cancelAnimationFrame(raf)
      if (!on) return
      startFrame = video.frame
      startTime = performance.now()
      raf = requestAnimationFrame(tick)
    }
  )
  onBeforeUnmount(() => cancelAnimationFrame(raf))
}
