// Runs everywhere (shared): the Candidates column of the tracker's raw CSV (Frame,Visibility,X,Y,Confidence,
// Candidates): a frame's strongest blobs, strongest first, as "x:y:mass:confidence" groups joined by ";" — no
// commas, so it stays one CSV field that TrackNet tools reading the first five columns ignore; empty when the
// frame has none. Review and rectification read it back to see what else the model saw.
import type { Candidate } from './decode'

export const CANDIDATES_COLUMN = 'Candidates'

/** One frame's candidates as one CSV field, `decimals` digits after the point. */
export function formatCandidates(candidates: readonly Candidate[], decimals = 3): string {
  return candidates
    .map((c) => [c.x, c.y, c.mass, c.confidence].map((v) => v.toFixed(decimals)).join(':'))
    .join(';')
}

/** The field back into candidates; null when it is not one this module wrote. */
export function parseCandidates(field: string): Candidate[] | null {
  const text = field.trim()
  if (!text) return []
  const out: Candidate[] = []
  for (const group of text.split(';')) {
    const v = group.split(':').map(Number)
    if (v.length !== 4 || v.some((n) => !Number.isFinite(n))) return null
    const [x, y, mass, confidence] = v as [number, number, number, number]
    out.push({ x, y, mass, confidence })
  }
  return out
}

/**
 * Adds the Candidates column to a prediction CSV whose data rows are frames 0, 1, … in order (what
 * writeLabelCsv writes with frameCount).
 */
export function withCandidatesColumn(csv: string, perFrame: readonly (readonly Candidate[])[]): string {
  const lines = csv.split('\n')
  lines[0] += `,${CANDIDATES_COLUMN}`
  for (let i = 1; i < lines.length; i++) {
    if (lines[i]) lines[i] += `,${formatCandidates(perFrame[i - 1] ?? [])}`
  }
  return lines.join('\n')
}

/**
 * Each data row's Candidates field, in row order; null when the header has no such column or a field is
 * malformed.
 */
export function readCandidatesColumn(csv: string): Candidate[][] | null {
  const lines = csv.split(/\r?\n/)
  const header = (lines[0] ?? '').split(',').map((c) => c.trim())
  const col = header.indexOf(CANDIDATES_COLUMN)
  if (col < 0) return null
  const out: Candidate[][] = []
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string
    if (!line.trim()) continue
    const parsed = parseCandidates(line.split(',')[col] ?? '')
    if (!parsed) return null
    out.push(parsed)
  }
  return out
}
