// Runs anywhere (pure TypeScript, no Node or DOM imports: the Playwright e2e test uses it on pixels sampled in
// the browser): the frame-number pattern drawn into every test video frame, and its decoder. The displayed
// picture is cut into a 4 × 4 grid of big cells; cell 0 is always white and cell 15 always black (references
// for the threshold), cells 1..14 hold bits 0..13 of the frame number (white = 1). Big flat cells survive JPEG
// and H.264 compression, scaling and colour-range changes; no OCR involved.

export const PATTERN = {
  cols: 4,
  rows: 4,
  bits: 14,
  whiteCell: 0,
  blackCell: 15,
  /** Centre of cell i (row-major) in displayed-picture pixels. */
  cellCentre(i: number, width: number, height: number): { x: number; y: number } {
    const c = i % 4
    const r = Math.floor(i / 4)
    return { x: ((c + 0.5) * width) / 4, y: ((r + 0.5) * height) / 4 }
  },
  /** Centre of the cell holding bit b. */
  bitCentre(b: number, width: number, height: number): { x: number; y: number } {
    return PATTERN.cellCentre(b + 1, width, height)
  },
  /**
   * The same pattern as an ffmpeg filter chain drawing on a picture of the displayed size: black, a white
   * reference cell, and one white box per set bit, switched per frame by drawbox's timeline option on the
   * frame counter n (much faster than a per-pixel geq expression).
   */
  ffmpegFilter(width: number, height: number): string {
    const box = (i: number): string => {
      const c = i % 4
      const r = Math.floor(i / 4)
      const x = Math.floor((c * width) / 4)
      const y = Math.floor((r * height) / 4)
      const w = Math.floor(((c + 1) * width) / 4) - x
      const h = Math.floor(((r + 1) * height) / 4) - y
      return `drawbox=x=${x}:y=${y}:w=${w}:h=${h}:color=white:t=fill`
    }
    const parts = [box(0)]
    for (let b = 0; b < 14; b++) parts.push(`${box(b + 1)}:enable='mod(floor(n/${2 ** b})\\,2)'`)
    return parts.join(',')
  }
} as const

/**
 * Reads the frame number from a displayed picture: sample(x, y) returns luma 0..255 at a pixel of a picture
 * of this width and height. Returns -1 when the picture does not carry the pattern (no contrast between the
 * reference cells).
 */
export function decodeFrameNumber(
  sample: (x: number, y: number) => number,
  width: number,
  height: number
): number {
  const cell = (i: number): number => {
    const { x, y } = PATTERN.cellCentre(i, width, height)
    // Average a small cross inside the cell: one pixel may sit on a compression artefact.
    const dx = width / 16
    const dy = height / 16
    const pts: [number, number][] = [
      [x, y],
      [x - dx, y],
      [x + dx, y],
      [x, y - dy],
      [x, y + dy]
    ]
    let s = 0
    for (const [px, py] of pts) s += sample(Math.floor(px), Math.floor(py))
    return s / pts.length
  }
  const white = cell(PATTERN.whiteCell)
  const black = cell(PATTERN.blackCell)
  if (white - black < 64) return -1
  const threshold = (white + black) / 2
  let n = 0
  for (let b = 0; b < PATTERN.bits; b++) if (cell(b + 1) > threshold) n |= 1 << b
  return n
}
