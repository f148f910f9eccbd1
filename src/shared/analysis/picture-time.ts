// Runs everywhere (shared): the analysis' time base when a video shows some pictures twice. A broadcast converted
// from 25 to 30 fps repeats every sixth picture; a label on the repeat is the same position again, so read frame
// by frame the shuttle seems to stop for a frame and jump on — a false kink, a hit where there is none, a landing
// found late. The analysis therefore runs on the pictures: one sample per distinct picture, at the rate the
// pictures really came at (the video's rate times the share of frames that are new), and its frames are mapped
// back to the video's frames (where each picture is first shown) for everything it reports.
import type { Track } from './track'

export interface PictureTimeline {
  /** Video frame where each picture is first shown, ascending. */
  firstFrame: number[]
  /** The pictures' own rate (fps). */
  fps: number
  videoFps: number
  frameCount: number
}

/**
 * The timeline of a video of frameCount frames at videoFps whose `repeated` frames (each a repeat of the frame
 * before) are left out; null when none applies. Entries that are no frame of the video (frame 0 repeats
 * nothing) are ignored: the list comes from outside.
 */
export function pictureTimeline(
  frameCount: number,
  videoFps: number,
  repeated: readonly number[] | undefined
): PictureTimeline | null {
  if (!repeated?.length) return null
  const skip = new Set(repeated.filter((f) => Number.isInteger(f) && f >= 1 && f < frameCount))
  if (skip.size === 0) return null
  const firstFrame: number[] = []
  for (let f = 0; f < frameCount; f++) if (!skip.has(f)) firstFrame.push(f)
  return { firstFrame, fps: (videoFps * firstFrame.length) / frameCount, videoFps, frameCount }
}

/**
 * One sample per picture: the label of the frame that first shows it, or of a repeat of it where that one has
 * the shuttle and the first does not (the repeat shows the same picture, so its position is as good).
 */
export function pictureTrack(track: Track, tl: PictureTimeline): Track {
  const n = tl.firstFrame.length
  const out: Track = { fps: tl.fps, visible: [], x: [], y: [] }
  for (let p = 0; p < n; p++) {
    const end = p + 1 < n ? tl.firstFrame[p + 1]! : track.visible.length
    let f = tl.firstFrame[p]!
    for (let g = f; g < end; g++) {
      if (track.visible[g]) {
        f = g
        break
      }
    }
    out.visible.push(!!track.visible[f])
    out.x.push(track.x[f] ?? 0)
    out.y.push(track.y[f] ?? 0)
  }
  return out
}

/** The video frame (fractional) of a picture position p (fractional), between the frames its pictures show at. */
export function videoFrameOf(tl: PictureTimeline, p: number): number {
  const f = tl.firstFrame
  const last = f.length - 1
  if (p <= 0) return f[0]! + p
  if (p >= last) return f[last]! + (p - last)
  const i = Math.floor(p)
  return f[i]! + (p - i) * (f[i + 1]! - f[i]!)
}

/** The picture shown at a video frame (a repeat shows the picture of the frame before it). */
export function pictureOf(tl: PictureTimeline, frame: number): number {
  const f = tl.firstFrame
  let lo = 0
  let hi = f.length - 1
  if (frame <= f[0]!) return 0
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (f[mid]! <= frame) lo = mid
    else hi = mid - 1
  }
  return lo
}
