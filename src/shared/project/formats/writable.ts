// Runs everywhere (shared): what every label writer refuses before writing a byte, so no format writes a file
// that reads back as something else (a NaN position, a frame twice, an annotation of an image not listed).
import { LabelWriteError } from '../../labels/write'
import type { LabelPoint, VideoSize } from '../../labels/types'

export function checkWritable(points: readonly LabelPoint[], frameCount?: number): void {
  const seen = new Set<number>()
  for (const p of points) {
    if (!Number.isSafeInteger(p.frame) || p.frame < 0) {
      throw new LabelWriteError(`Frame ${p.frame} is not a frame number.`)
    }
    if (seen.has(p.frame))
      throw new LabelWriteError(`Frame ${p.frame} appears twice; keep one before writing.`)
    seen.add(p.frame)
    if (p.visible && !(Number.isFinite(p.x) && Number.isFinite(p.y))) {
      throw new LabelWriteError(`Frame ${p.frame} is visible at (${p.x}, ${p.y}), which is not a position.`)
    }
    if (p.confidence !== undefined && !Number.isFinite(p.confidence)) {
      throw new LabelWriteError(`Frame ${p.frame} has confidence ${p.confidence}, which is not a number.`)
    }
    if (frameCount !== undefined && p.frame >= frameCount) {
      throw new LabelWriteError(`Frame ${p.frame} is beyond the video's ${frameCount} frames.`)
    }
  }
}

export function checkVideoSize(video: VideoSize): void {
  const ok = (v: number): boolean => Number.isFinite(v) && v > 0
  if (!ok(video.width) || !ok(video.height)) {
    throw new LabelWriteError(`The video size ${video.width}×${video.height} is not a picture size.`)
  }
}
