// Runs in the renderer: snapping for the annotate view — on or off (a key), and for a click, where it snaps:
// the tracker's detection for that frame, else the motion view's peak (annotate/snap.ts), read from the frame
// canvas and the video's median background. Keeps what the last snap did, to show it (before → after).
import { ref, shallowRef, watch, type Ref } from 'vue'
import { VISIBLE } from '@shared/project/columns'
import { SOURCES } from '@shared/project/frame-state'
import { backgroundOf } from '../annotate/background'
import { motionWindow, searchWindow, snapClick, SNAP_RADIUS, type Point } from '../annotate/snap'
import { useClient } from '../stores/client'
import { useLabelsStore } from '../stores/labels'
import { useTrackingStore } from '../stores/tracking'
import { useVideoStore } from '../stores/video'

export interface SnapMark {
  frame: number
  from: Point
  to: Point
}

const MODEL = SOURCES.indexOf('model')

/** `enabled` may be the caller's own state (the frame view's toolbar keeps it, remembered across reloads). */
export function useSnap(
  frameCanvas: () => HTMLCanvasElement | null,
  shownFrame: () => number | null,
  enabled: Ref<boolean> = ref(false)
) {
  const video = useVideoStore()
  const labels = useLabelsStore()
  const tracking = useTrackingStore()
  const client = useClient()
  const mark = shallowRef<SnapMark | null>(null)
  /** What the last click did, in words; cleared when the frame changes. */
  const note = ref('')

  function background() {
    const v = video.video
    return v ? backgroundOf(v.videoId, (n) => client.frameUrl(v.videoId, n), video.frameCount) : null
  }

  function toggle(): void {
    enabled.value = !enabled.value
    note.value = ''
    // Started at once, so the first snapped click does not wait for the frames it is made of.
    if (enabled.value) background()?.catch(() => undefined)
  }

  /** The model's points on frame n: the tracker's detection, and a label the tracker filled in. */
  function predictions(n: number): Point[] {
    const out: Point[] = []
    const t = tracking.path === video.info?.path ? tracking.pointAt(n) : null
    if (t?.visible && (t.source === 'detected' || t.source === 'smoothed')) out.push({ x: t.x, y: t.y })
    const c = labels.columns
    if (n < c.frameCount && c.visibility[n] === VISIBLE && c.source[n] === MODEL) {
      out.push({ x: c.x[n]!, y: c.y[n]! })
    }
    return out
  }

  /** Where a click at `at` on frame n goes: snapped when snapping is on and something is near, else `at`. */
  async function snap(at: Point, n: number): Promise<Point> {
    if (!enabled.value) return at
    let motion = null
    const c = frameCanvas()
    const bgPromise = background()
    // Only against the pixels of that very frame: a frame still loading would snap to the wrong picture.
    if (c?.width && bgPromise && shownFrame() === n) {
      try {
        const bg = await bgPromise
        const win = searchWindow(at, SNAP_RADIUS, c)
        if (win && bg.width === c.width && bg.height === c.height && shownFrame() === n) {
          const pixels = c
            .getContext('2d', { willReadFrequently: true })!
            .getImageData(win.x0, win.y0, win.width, win.height).data
          motion = motionWindow(pixels, bg.data, c.width, win)
        }
      } catch (err) {
        note.value = `no motion view to snap to: ${(err as Error).message}`
      }
    }
    const r = snapClick({ at, radius: SNAP_RADIUS, predictions: predictions(n), motion })
    if (!r) {
      mark.value = null
      note.value = `nothing to snap to within ${SNAP_RADIUS} px: placed where clicked`
      return at
    }
    const to = { x: r.x, y: r.y }
    mark.value = { frame: n, from: at, to }
    const d = Math.hypot(to.x - at.x, to.y - at.y)
    note.value = `snapped ${d.toFixed(1)} px to the ${r.source === 'prediction' ? "model's point" : 'motion peak'}`
    return to
  }

  watch(
    () => video.frame,
    () => (note.value = '')
  )
  watch(
    () => video.video?.videoId,
    () => (mark.value = null)
  )

  return { enabled, mark, note, toggle, snap }
}
