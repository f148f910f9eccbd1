// Runs in the backend (plain Node): where decoding starts for frame N, and how ffmpeg is told. Level 0 asks for
// frame N's own timestamp: ffmpeg seeks to the keyframe at or before it and drops (without encoding) every
// frame before it. The timestamp is exact to the microsecond, which ffmpeg rounds back to frame N's tick, so a
// keyframe target starts at itself rather than one GOP earlier. Output frames are checked against the index
// anyway; when that check fails (open GOPs, demuxers whose seeking lands late) higher levels start earlier and
// the reader drops the extra frames.
import type { FfmpegInfo } from '../ffmpeg/locate'
import type { FrameIndex } from './frame-index'

export const MAX_SEEK_LEVEL = 2

/** The first frame decoding asks for at this level (frames before `from` are dropped by the reader). */
export function startFrame(index: FrameIndex, from: number, level: number): number {
  if (level <= 0) return from
  if (level === 1) {
    // One GOP further back than needed: covers open GOPs and seeks that land on the keyframe after.
    const k = index.keyframeAtOrBefore(from)
    return index.keyframeAtOrBefore(Math.max(0, k - 1))
  }
  // Ten seconds back, from a keyframe: enough for any sane stream, bounded for hour-long ones.
  const t = index.pts[from]! - 10
  let f = from
  while (f > 0 && index.pts[f]! > t) f--
  return index.keyframeAtOrBefore(f)
}

/** -ss (before -i, counted from the container's start time) and -copyts, so showinfo reports stream pts. */
export function seekInputArgs(index: FrameIndex, formatStartTime: number, start: number): string[] {
  const ss = index.pts[start]! - formatStartTime
  return start > 0 && ss > 0 ? ['-ss', ss.toFixed(6), '-copyts'] : ['-copyts']
}

/** ffmpeg 5.1 introduced -fps_mode and later versions deprecate -vsync; both mean "one output per decoded frame". */
export function passthroughArgs(ffmpeg: FfmpegInfo): string[] {
  return before51(ffmpeg) ? ['-vsync', '0'] : ['-fps_mode', 'passthrough']
}

/**
 * For the concat input of a warm decoder: the concat demuxer has probed the file already and copies its stream
 * parameters, so ffmpeg's own probe of the concat input only decodes the first keyframe a second time, in the
 * user's wait (ffmpeg 5.1 and later know the option).
 */
export function skipStreamInfoArgs(ffmpeg: FfmpegInfo): string[] {
  return before51(ffmpeg) ? [] : ['-nofind_stream_info']
}

/** Versions that cannot be read (git builds) count as recent. */
function before51(ffmpeg: FfmpegInfo): boolean {
  const m = /^n?(\d+)\.(\d+)/.exec(ffmpeg.version)
  return !!m && (Number(m[1]) < 5 || (Number(m[1]) === 5 && Number(m[2]) < 1))
}

/**
 * The rotation filter for a clockwise display rotation. Autorotation is turned off and done here instead, so
 * every way of starting ffmpeg (including a concat script, which may not carry the display matrix) turns the
 * picture the same way ffmpeg's autorotation would.
 */
export function rotationFilter(rotation: number): string[] {
  if (rotation === 90) return ['transpose=clock']
  if (rotation === 180) return ['hflip', 'vflip']
  if (rotation === 270) return ['transpose=cclock']
  return []
}
