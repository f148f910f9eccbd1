// Runs everywhere (shared): the distance within which a prediction counts as the labelled position.
// 'tracknet' (the default): 4 px at the 512×288 model input, expressed in the evaluated video's pixels through
// the letterbox scale — τ = 4 / min(sx, sy), as training/shuttle_training/letterbox.py `tolerance`; for any
// 16:9 video that is 4 × videoWidth / 512 (10 px at 1280×720, 15 px at 1920×1080). For other aspect ratios
// the limiting side sets the scale (a 4:3 1440×1080 video gives 15 px, not 4 × 1440/512).
// 'strict': 4 px at the video's own resolution (WASB's evaluation).
import type { VideoSize } from '../labels/types'
import { letterbox, TRACKNET_INPUT, type ModelSize } from '../heatmap/letterbox'

export type ToleranceMode = 'tracknet' | 'strict'

export const TRACKNET_TOLERANCE_PX = 4

export interface ToleranceOptions {
  mode?: ToleranceMode
  /** Pixels at the reference resolution (default 4). */
  px?: number
  /** The model input the 'tracknet' mode scales from (default 512×288). */
  model?: ModelSize
}

/** τ in video pixels. A prediction at distance d from the label is within tolerance when d <= τ. */
export function toleranceFor(video: VideoSize, options: ToleranceOptions = {}): number {
  const px = options.px ?? TRACKNET_TOLERANCE_PX
  if ((options.mode ?? 'tracknet') === 'strict') return px
  const lb = letterbox(video, options.model ?? TRACKNET_INPUT)
  return px / Math.min(lb.sx, lb.sy)
}
