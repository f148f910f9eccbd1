// Runs everywhere (shared): reads a label or prediction CSV (any variant of header.ts) into points, checking
// each row on its own. It reports and never repairs: a row that cannot be read is left out and named, a row
// that looks wrong is kept as written and named. Checks across rows are in lint.ts.
import Papa from 'papaparse'
import { describeHeaders, detectHeader } from './header'
import type { IssueList } from './issues'
import type { LabelFormat, RowPoint, VideoSize } from './types'

/** Beyond this a coordinate is no plausible pixel of any video (16K is 15360 wide). */
export const HUGE_COORDINATE = 100_000

export interface ParseRowsOptions {
  /** Needed for the normalised variant; enables the off-frame check for the others. */
  video?: VideoSize
}

export interface ParsedRows {
  format: LabelFormat | null
  points: RowPoint[]
}

/** Plain decimal notation only: Number() would also take '0x10', '0b1' or '' (as 0), which no label tool means. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i

/** A number, or NaN for a blank or non-decimal cell; -0 reads as 0 so it neither diffs nor prints as a change. */
export function cellNumber(cell: string | undefined): number {
  const t = (cell ?? '').trim()
  return DECIMAL.test(t) ? Number(t) + 0 : NaN
}

/**
 * The cells of every line: index i is line i+1 of the file, so every issue can name its line. Lines are split
 * here, on any mix of LF, CRLF and CR, and only then into cells with the header's delimiter: a stray quote or a
 * quoted line break damages its own line instead of swallowing or shifting the rest of the file.
 */
function splitRows(text: string): string[][] {
  const clean = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  const lines = clean.split(/\r\n|\r|\n/)
  // The header is the first line with a cell in it: a line of bare separators (",,,") says nothing.
  const headLine = lines.find((l) => /[^\s,;|]/.test(l)) ?? ''
  const delimiter = Papa.parse<string[]>(headLine, { header: false }).meta.delimiter || ','
  return lines.map((line) =>
    line.includes('"')
      ? (Papa.parse<string[]>(line, { header: false, delimiter }).data[0] ?? [])
      : line.split(delimiter)
  )
}

export function parseRows(text: string, issues: IssueList, options: ParseRowsOptions = {}): ParsedRows {
  const rows = splitRows(text)
  // No cell with anything in it: a line of bare separators (",,," under a ';' header too) is blank.
  const blank = (r: string[] | undefined): boolean => !r || r.every((c) => /^[\s,;|]*$/.test(c))
  const headIndex = rows.findIndex((r) => !blank(r))
  if (headIndex < 0) {
    issues.add(
      0,
      'empty-file',
      'error',
      'The file is empty: expected a header line such as Frame,Visibility,X,Y.'
    )
    return { format: null, points: [] }
  }
  const headRow = rows[headIndex] ?? []
  const headLine = headIndex + 1
  const head = detectHeader(headRow)
  if (!head) {
    issues.add(
      headLine,
      'bad-header',
      'error',
      `Header "${headRow.join(',')}" is not a label header: expected ${describeHeaders()}.`
    )
    return { format: null, points: [] }
  }
  // The tracker's own CSVs add a Source column (detected, filled, removed…) after the TrackNet ones: known,
  // deliberately not read, so not worth a warning on every clip.
  const unknownExtra = head.extra.filter((c) => c.trim().toLowerCase() !== 'source')
  if (unknownExtra.length) {
    issues.add(headLine, 'extra-columns', 'warning', `Columns ${unknownExtra.join(', ')} are not read.`)
  }
  const { format } = head
  const video = options.video
  if (format === 'normalised' && !video) {
    issues.add(
      headLine,
      'needs-video-size',
      'error',
      'This file has normalised coordinates (0..1); the video size is needed to turn them into pixels.'
    )
    return { format, points: [] }
  }
  const width = format === 'prediction' ? 5 : 4
  const points: RowPoint[] = []
  for (let i = headIndex + 1; i < rows.length; i++) {
    const cells = rows[i]
    if (blank(cells) || !cells) continue
    const point = parseRow(cells, i + 1, format, width, video, issues)
    if (point) points.push(point)
  }
  return { format, points }
}

function parseRow(
  cells: string[],
  row: number,
  format: LabelFormat,
  width: number,
  video: VideoSize | undefined,
  issues: IssueList
): RowPoint | null {
  if (cells.length < width) {
    issues.add(
      row,
      'missing-columns',
      'error',
      `Row has ${cells.length} columns, expected ${width}; row not read.`
    )
    return null
  }
  const frame = cellNumber(cells[0])
  if (!Number.isFinite(frame)) {
    issues.add(row, 'frame-not-number', 'error', `Frame "${cells[0]}" is not a number; row not read.`)
    return null
  }
  if (!Number.isInteger(frame)) {
    issues.add(
      row,
      'frame-not-integer',
      'error',
      `Frame ${frame} is not a whole number; row not read.`,
      frame
    )
    return null
  }
  if (frame > Number.MAX_SAFE_INTEGER) {
    // Beyond 2^53 doubles skip whole numbers: the frame read would not be the frame written.
    issues.add(
      row,
      'frame-not-integer',
      'error',
      `Frame ${frame} is too large to be a frame number; row not read.`
    )
    return null
  }
  if (frame < 0) {
    issues.add(
      row,
      'frame-negative',
      'error',
      `Frame ${frame} is negative (frames count from 0); row not read.`,
      frame
    )
    return null
  }
  const v = cellNumber(cells[1])
  if (!Number.isFinite(v)) {
    issues.add(
      row,
      'visibility-not-number',
      'error',
      `Visibility "${cells[1]}" is not a number; row not read.`,
      frame
    )
    return null
  }
  // As the Python reader: any value above 0 is visible (some tools use 1-3 for kinds of visible).
  const visible = v > 0
  if (v !== 0 && v !== 1) {
    const as = visible ? 'visible' : 'not visible'
    issues.add(
      row,
      'visibility-unusual',
      'warning',
      `Visibility ${v} is neither 0 nor 1; read as ${as}.`,
      frame
    )
  }
  let x = cellNumber(cells[2])
  let y = cellNumber(cells[3])
  if (format === 'normalised' && video) {
    if (visible && (x < 0 || x > 1 || y < 0 || y > 1)) {
      const msg = `Normalised position (${x}, ${y}) is outside 0..1: are these pixels under a normalised header?`
      issues.add(row, 'normalised-out-of-range', 'warning', msg, frame)
    }
    // Scaled before the number check: 1e306 of a width is no number either.
    x *= video.width
    y *= video.height
  }
  if (!Number.isFinite(x) || !Number.isFinite(y)) {
    const numbers = Number.isFinite(cellNumber(cells[2])) && Number.isFinite(cellNumber(cells[3]))
    const what = numbers ? 'is too large to be a position' : 'is not a pair of numbers'
    if (visible) {
      const msg = `Visible, but its position (${cells[2]}, ${cells[3]}) ${what}; row not read.`
      issues.add(row, 'coordinate-not-number', 'error', msg, frame)
      return null
    }
    const msg = `Position (${cells[2]}, ${cells[3]}) ${what}; read as not visible at (0, 0).`
    issues.add(row, 'coordinate-not-number', 'warning', msg, frame)
    x = 0
    y = 0
  }
  if (visible) checkPosition(x, y, row, frame, video, issues)
  const point: RowPoint = { frame, visible, x, y, row }
  if (format === 'prediction') {
    const c = cellNumber(cells[4])
    if (!Number.isFinite(c)) {
      issues.add(
        row,
        'confidence-out-of-range',
        'warning',
        `Confidence "${cells[4]}" is not a number; left out.`,
        frame
      )
    } else {
      if (c < 0 || c > 1) {
        issues.add(row, 'confidence-out-of-range', 'warning', `Confidence ${c} is outside 0..1.`, frame)
      }
      point.confidence = c
    }
  }
  return point
}

/** Only visible rows: an invisible row's position carries no meaning (TrackNet writes 0, 0 there). */
function checkPosition(
  x: number,
  y: number,
  row: number,
  frame: number,
  video: VideoSize | undefined,
  issues: IssueList
): void {
  const at = `(${x}, ${y})`
  if (x === 0 && y === 0) {
    const msg = 'Visible at (0, 0), the usual "no ball" placeholder: is the visibility flag inverted?'
    issues.add(row, 'visible-at-origin', 'warning', msg, frame)
  } else if (x < 0 || y < 0) {
    issues.add(row, 'coordinate-negative', 'warning', `Visible at ${at}: a negative position.`, frame)
  } else if (Math.abs(x) > HUGE_COORDINATE || Math.abs(y) > HUGE_COORDINATE) {
    issues.add(row, 'coordinate-huge', 'warning', `Visible at ${at}: no video is that large.`, frame)
  } else if (video && (x > video.width - 0.5 || y > video.height - 0.5)) {
    // Pixel centres run 0..width-1, so the picture's edge is at width-0.5.
    const msg = `Visible at ${at}, outside the ${video.width}×${video.height} frame.`
    issues.add(row, 'coordinate-off-frame', 'warning', msg, frame)
  }
}
