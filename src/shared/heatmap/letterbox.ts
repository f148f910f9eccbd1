// Runs everywhere (shared): the letterbox geometry between video pixels and the model's input (and heatmap)
// pixels. It is training/shuttle_training/letterbox.py line for line, because the model learnt positions
// through that geometry: any difference here is a systematic error in every prediction.
//
// - Scale s = min(modelW / videoW, modelH / videoH) (aspect preserved); the scaled picture is
//   round(videoW·s) × round(videoH·s) (Python's round: halves to even), clamped to 1..model size.
// - The picture sits at the TOP-LEFT of the model frame, padded on the right and bottom (ffmpeg
//   `pad=W:H:0:0`), so there is no offset to subtract.
// - The axes keep their own factors sx = scaledW / videoW, sy = scaledH / videoH (they differ slightly
//   after rounding), which is what ffmpeg's scaler does.
// - Pixel-centre convention (ffmpeg's): pixel i covers [i-0.5, i+0.5), so centres map as
//   m + 0.5 = (v + 0.5)·s, i.e. v = (m + 0.5) / s - 0.5.
import type { VideoSize } from '../labels/types'

export interface ModelSize {
  width: number
  height: number
}

/** The TrackNet input size, 512×288. */
export const TRACKNET_INPUT: ModelSize = { width: 512, height: 288 }

export interface Letterbox {
  video: VideoSize
  model: ModelSize
  scaledWidth: number
  scaledHeight: number
  sx: number
  sy: number
}

/** Python 3's round(): halves go to the even neighbour (round(2.5) is 2), so both sides pick the same size. */
export function roundHalfEven(v: number): number {
  const f = Math.floor(v)
  const d = v - f
  if (d > 0.5) return f + 1
  if (d < 0.5) return f
  return f % 2 === 0 ? f : f + 1
}

export function letterbox(video: VideoSize, model: ModelSize = TRACKNET_INPUT): Letterbox {
  if (!(video.width > 0 && video.height > 0))
    throw new RangeError(`Bad video size ${video.width}×${video.height}.`)
  const s = Math.min(model.width / video.width, model.height / video.height)
  const scaledWidth = Math.min(model.width, Math.max(1, roundHalfEven(video.width * s)))
  const scaledHeight = Math.min(model.height, Math.max(1, roundHalfEven(video.height * s)))
  return {
    video: { width: video.width, height: video.height },
    model: { width: model.width, height: model.height },
    scaledWidth,
    scaledHeight,
    sx: scaledWidth / video.width,
    sy: scaledHeight / video.height
  }
}

export function toVideo(lb: Letterbox, mx: number, my: number): { x: number; y: number } {
  return { x: (mx + 0.5) / lb.sx - 0.5, y: (my + 0.5) / lb.sy - 0.5 }
}

export function toModel(lb: Letterbox, x: number, y: number): { x: number; y: number } {
  return { x: (x + 0.5) * lb.sx - 0.5, y: (y + 0.5) * lb.sy - 0.5 }
}

/** The ffmpeg filter that makes the model input from a video frame (bilinear scale, black pad right/bottom). */
export function letterboxFilter(lb: Letterbox): string {
  return `scale=${lb.scaledWidth}:${lb.scaledHeight}:flags=bilinear,pad=${lb.model.width}:${lb.model.height}:0:0:black`
}
