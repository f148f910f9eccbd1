// Runs in the backend (plain Node): which picture OpenCV shows for a frame number, so labels numbered by a tool
// that seeks with OpenCV (cv2.VideoCapture.set(CAP_PROP_POS_FRAMES, n), as TrackNet's labelling tool does) can
// be moved onto the frames they were drawn on. The studio numbers frames in presentation order (frame-index.ts):
// frame N is the N-th picture, always. OpenCV's seek is by time: it jumps to the keyframe before
// (n - 16) / fps, computes that keyframe's number as round(its time × fps) and counts pictures from there. On a
// constant frame rate the two agree; on a video with dropped frames (a variable frame rate: phones, lab cameras)
// every keyframe restarts the count from its time, so OpenCV's frame n is the studio's frame n + k with k
// changing at each keyframe. On the new-camera pitching-machine clip (69 gaps, 8 keyframes) k runs 0, 5, 12,
// 15, 17, 16, 10: labels drawn there lead the pictures by up to 17 frames (training/RESULTS.md).
// This replays OpenCV's CvCapture_FFMPEG::seek (modules/videoio/src/cap_ffmpeg_impl.hpp) on the frame index,
// with fps its get_fps(): the stream's average frame rate.
import { buildFrameIndex } from './frame-index'
import { probeVideo } from './probe'
import { droppedFrames } from './video-info'

/** What the replay needs of a video: each picture's presentation time and whether it is a keyframe. */
export interface SeekFacts {
  /** Presentation timestamps, seconds, ascending (FrameIndex.pts). */
  pts: Float64Array
  /** 1 where the picture is a keyframe (FrameIndex.key). */
  key: Uint8Array
  /** The stream's average frame rate (ffprobe's avg_frame_rate), which OpenCV's get_fps() returns. */
  fps: number
}

/** OpenCV's first guess goes this many frames before the target (its `delta`). */
const FIRST_DELTA = 16

/**
 * For every OpenCV frame number 0..count-1, the studio frame OpenCV shows after seeking to it, or -1 where it
 * shows none (its count runs past the last picture).
 */
export function opencvSeekFrames(v: SeekFacts): Int32Array {
  const n = v.pts.length
  const out = new Int32Array(n).fill(-1)
  if (n === 0) return out
  if (!(v.fps > 0)) throw new RangeError(`a frame rate must be positive, not ${v.fps}`)
  const start = v.pts[0]!
  const keys: number[] = []
  for (let i = 0; i < n; i++) if (v.key[i]) keys.push(i)
  if (keys[0] !== 0) keys.unshift(0) // a stream that does not start on a keyframe still starts decoding there
  const keyTimes = keys.map((k) => v.pts[k]! - start)
  // Half a microsecond of slack: OpenCV rounds the seek target to the stream's time base.
  const keyAtOrBefore = (sec: number): number => {
    let lo = 0
    let hi = keys.length - 1
    let best = 0
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      if (keyTimes[mid]! <= sec + 5e-7) {
        best = mid
        lo = mid + 1
      } else hi = mid - 1
    }
    return best
  }
  const numberAt = (k: number): number => Math.floor(keyTimes[k]! * v.fps + 0.5)
  for (let target = 0; target < n; target++) {
    let shown: number
    if (target < 2)
      shown = target // OpenCV reads from the start for 0 and 1
    else {
      let delta = FIRST_DELTA
      for (;;) {
        const from = Math.max(target - delta, 0)
        const k = keyAtOrBefore(from / v.fps)
        const counted = numberAt(k)
        if (counted < 0 || counted > target - 1) {
          // Landed past the target: look further back, unless already at the start (then OpenCV gives up with
          // the keyframe read, and the next read shows the picture after it).
          if (from === 0) {
            shown = keys[k]! + 1
            break
          }
          delta = delta < 16 ? delta * 2 : Math.floor((delta * 3) / 2)
          continue
        }
        shown = keys[k]! + (target - counted)
        break
      }
    }
    out[target] = shown < n ? shown : -1
  }
  return out
}

export interface Renumbered<T> {
  /** The labels on the frames they were drawn on, ascending. */
  points: T[]
  /** Labels whose frame changed. */
  moved: number
  /** The largest change, in frames (positive: the label was on an earlier number than its picture). */
  maxShift: number
  /** Labels OpenCV would have drawn past the last picture: dropped. */
  pastEnd: number
  /** Labels of a picture another label already took (OpenCV showed the same picture under two numbers): the
   *  first is kept. */
  duplicates: number
}

/** Moves labels numbered by OpenCV's seek onto the studio's frames (see opencvSeekFrames). */
export function renumberFromOpenCv<T extends { frame: number }>(
  points: readonly T[],
  shown: Int32Array
): Renumbered<T> {
  const taken = new Set<number>()
  const out: T[] = []
  let moved = 0
  let maxShift = 0
  let pastEnd = 0
  let duplicates = 0
  for (const p of [...points].sort((a, b) => a.frame - b.frame)) {
    const f = p.frame < shown.length ? shown[p.frame]! : -1
    if (f < 0) {
      pastEnd++
      continue
    }
    if (taken.has(f)) {
      duplicates++
      continue
    }
    taken.add(f)
    if (f !== p.frame) moved++
    if (Math.abs(f - p.frame) > Math.abs(maxShift)) maxShift = f - p.frame
    out.push({ ...p, frame: f })
  }
  out.sort((a, b) => a.frame - b.frame)
  return { points: out, moved, maxShift, pastEnd, duplicates }
}

export interface OpenCvNumbering {
  /** For each OpenCV frame number, the picture it shows (-1: none). */
  shown: Int32Array
  frames: number
  droppedFrames: number
  bFrames: boolean
  size: { width: number; height: number }
}

/** How OpenCV numbers a video's pictures (opencvSeekFrames on its index and average rate). */
export async function opencvNumbering(ffprobe: string, video: string): Promise<OpenCvNumbering> {
  const probe = await probeVideo(ffprobe, video)
  const index = await buildFrameIndex(ffprobe, video, probe.streamIndex, probe.timeBase)
  return {
    shown: opencvSeekFrames({ pts: index.pts, key: index.key, fps: probe.info.fps }),
    frames: index.count,
    droppedFrames: droppedFrames(index.pts),
    bFrames: probe.bFrames,
    size: { width: probe.info.width, height: probe.info.height }
  }
}
