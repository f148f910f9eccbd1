// Runs everywhere (shared): writes points in the standard TrackNet pixel format, whatever variant they were
// read from: `Frame,Visibility,X,Y` (plus `Confidence` for predictions), sorted by frame, one row per frame,
// fixed decimals, 0,0 for frames that are not visible. It refuses what it cannot write faithfully.
import { PIXEL_HEADER, PREDICTION_HEADER } from './header'
import type { LabelPoint } from './types'

export interface WriteLabelsOptions {
  /** Write the Confidence column (a prediction file). A point without a confidence gets 0. */
  confidence?: boolean
  /** Digits after the point for X, Y and Confidence (default 3: a thousandth of a pixel). */
  decimals?: number
  /** A frame's own digits after the point for X and Y (a row kept as the user wrote it), else `decimals`. */
  decimalsOf?: (frame: number) => readonly [number, number] | undefined
  /**
   * Write exactly frames 0..frameCount-1, frames without a point as not visible. Without it only the given
   * frames are written. A point at or beyond frameCount is an error.
   */
  frameCount?: number
}

export class LabelWriteError extends Error {
  override name = 'LabelWriteError'
}

export function writeLabelCsv(points: readonly LabelPoint[], options: WriteLabelsOptions = {}): string {
  const decimals = options.decimals ?? 3
  const withConfidence = options.confidence ?? false
  const byFrame = new Map<number, LabelPoint>()
  for (const p of points) {
    if (!Number.isSafeInteger(p.frame) || p.frame < 0)
      throw new LabelWriteError(`Frame ${p.frame} is not a frame number.`)
    if (byFrame.has(p.frame))
      throw new LabelWriteError(`Frame ${p.frame} appears twice; keep one before writing.`)
    if (p.visible && !(Number.isFinite(p.x) && Number.isFinite(p.y))) {
      throw new LabelWriteError(`Frame ${p.frame} is visible at (${p.x}, ${p.y}), which is not a position.`)
    }
    if (withConfidence && p.confidence !== undefined && !Number.isFinite(p.confidence)) {
      throw new LabelWriteError(`Frame ${p.frame} has confidence ${p.confidence}, which is not a number.`)
    }
    if (options.frameCount !== undefined && p.frame >= options.frameCount) {
      throw new LabelWriteError(`Frame ${p.frame} is beyond the video's ${options.frameCount} frames.`)
    }
    byFrame.set(p.frame, p)
  }
  const frames =
    options.frameCount !== undefined
      ? Array.from({ length: options.frameCount }, (_, i) => i)
      : [...byFrame.keys()].sort((a, b) => a - b)
  const fixed = (v: number, digits = decimals): string => {
    const s = v.toFixed(digits)
    // -0.000 would read back as 0 but diff as a change.
    return /^-0\.?0*$/.test(s) ? s.slice(1) : s
  }
  const header = (withConfidence ? PREDICTION_HEADER : PIXEL_HEADER).join(',')
  const lines = [header]
  for (const f of frames) {
    const p = byFrame.get(f)
    const visible = p?.visible ?? false
    const [dx, dy] = options.decimalsOf?.(f) ?? [decimals, decimals]
    const cells = [
      String(f),
      visible ? '1' : '0',
      fixed(visible && p ? p.x : 0, dx),
      fixed(visible && p ? p.y : 0, dy)
    ]
    if (withConfidence) cells.push(fixed(p?.confidence ?? 0))
    lines.push(cells.join(','))
  }
  return lines.join('\n') + '\n'
}
