// Runs everywhere (shared): tells the CSV variants apart by their header line. The rules are those of
// training/shuttle_training/labels.py, so a file the studio accepts is one the training code accepts too.
import type { LabelFormat } from './types'

export const PIXEL_HEADER = ['Frame', 'Visibility', 'X', 'Y'] as const
export const NORMALISED_HEADER = ['Frame', 'Ball', 'x', 'y'] as const
export const PREDICTION_HEADER = ['Frame', 'Visibility', 'X', 'Y', 'Confidence'] as const

export interface HeaderInfo {
  format: LabelFormat
  /** Columns after the recognised ones; they are ignored (and reported). */
  extra: string[]
}

/**
 * Case matters for one column only, as in the Python reader: `X` (capital) after Frame,Visibility means
 * pixels, `x` means normalised; `Frame,Ball,x,y` is normalised whatever its case. A fifth column named
 * Confidence (any case) on a pixel header makes it a prediction file.
 */
export function detectHeader(cells: readonly string[]): HeaderInfo | null {
  const head = cells.map((c) => c.trim())
  const lower = head.map((c) => c.toLowerCase())
  const first4 = lower.slice(0, 4).join(',')
  if (first4 === 'frame,visibility,x,y' && head[2] === 'X') {
    if (lower[4] === 'confidence') return { format: 'prediction', extra: head.slice(5) }
    return { format: 'pixels', extra: head.slice(4) }
  }
  if (first4 === 'frame,ball,x,y' || head.slice(0, 4).join(',') === 'Frame,Visibility,x,y') {
    return { format: 'normalised', extra: head.slice(4) }
  }
  return null
}

export function describeHeaders(): string {
  return [PIXEL_HEADER, NORMALISED_HEADER, PREDICTION_HEADER].map((h) => h.join(',')).join(' or ')
}
