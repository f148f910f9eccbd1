// Runs in the backend (plain Node): completes ffprobe's VideoInfo with exact values from the packet index
// (frame count, start time, duration, average fps, VFR flag, keyframe count), since container metadata is an
// estimate and often wrong for VFR or trimmed files.
import type { FrameIndex } from './frame-index'
import type { ProbeResult, VideoInfo } from './probe'

export function withIndex(probe: ProbeResult, index: FrameIndex): VideoInfo {
  const n = index.count
  const p = index.pts
  const tick = probe.timeBase.num / probe.timeBase.den
  let minGap = Infinity
  let maxGap = 0
  for (let i = 1; i < n; i++) {
    const g = p[i]! - p[i - 1]!
    if (g < minGap) minGap = g
    if (g > maxGap) maxGap = g
  }
  const typical = n > 1 ? typicalGap(p) : 1 / probe.info.fps
  // The last frame lasts as long as a typical one: containers rarely say better.
  const duration = n > 0 ? p[n - 1]! - p[0]! + typical : 0
  // Rounding to the time base makes constant-rate gaps differ by one tick (33/34 ms at 1/1000): not VFR.
  const slack = Math.max(0.01 * typical, 1.5 * tick)
  return {
    ...probe.info,
    frameCount: n,
    startTime: n > 0 ? p[0]! : probe.info.startTime,
    duration,
    fps: duration > 0 ? n / duration : probe.info.fps,
    variableFrameRate: n > 2 && maxGap - minGap > slack,
    keyframeCount: index.keyframeCount
  }
}

/** The median gap between consecutive presentation times, seconds (0 with fewer than two pictures). */
export function typicalGap(pts: Float64Array): number {
  const gaps = new Float64Array(Math.max(0, pts.length - 1))
  for (let i = 1; i < pts.length; i++) gaps[i - 1] = pts[i]! - pts[i - 1]!
  return gaps.sort()[gaps.length >> 1] ?? 0
}

/** Pictures the gaps between presentation times leave out (dropped frames), against the typical gap. */
export function droppedFrames(pts: Float64Array): number {
  if (pts.length < 3) return 0
  const typical = typicalGap(pts)
  let dropped = 0
  for (let i = 1; i < pts.length; i++)
    dropped += Math.max(0, Math.round((pts[i]! - pts[i - 1]!) / typical) - 1)
  return dropped
}
