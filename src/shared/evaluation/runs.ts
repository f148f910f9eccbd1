// Runs everywhere (shared): from per-frame outcomes to what a person can click through — runs of consecutive
// frames with the same error, ranked worst first, and the frames one track gets right where the other does
// not. A run, not a frame, is one entry: thirty missed frames in a row are one place to look at, not thirty.
import { isRightCode, isWrongCode, NOT_EVALUATED, OUTCOME_CODES } from './outcome-codes'

export type ErrorOutcome = 'FP1' | 'FP2' | 'FN'

export interface ErrorRun {
  outcome: ErrorOutcome
  from: number
  /** Inclusive. */
  to: number
  /** The frame to open: the largest error of an FP1 run, the first frame of the others. */
  frame: number
  /** FP1: the largest prediction-to-label distance of the run, video pixels; null for FP2 and FN. */
  distance: number | null
}

export function errorRuns(outcomes: Int8Array, distances: Float32Array): ErrorRun[] {
  const runs: ErrorRun[] = []
  let f = 0
  while (f < outcomes.length) {
    const code = outcomes[f]!
    if (!isWrongCode(code)) {
      f++
      continue
    }
    const outcome = OUTCOME_CODES[code] as ErrorOutcome
    const run: ErrorRun = { outcome, from: f, to: f, frame: f, distance: null }
    for (; f < outcomes.length && outcomes[f] === code; f++) {
      run.to = f
      const d = distances[f]!
      if (outcome === 'FP1' && !Number.isNaN(d) && (run.distance === null || d > run.distance)) {
        run.distance = d
        run.frame = f
      }
    }
    runs.push(run)
  }
  return runs
}

/**
 * Worst first, at most `limit` of each outcome: FP1 by the largest distance, FP2 and FN by length (then the
 * earlier first, so the order is stable).
 */
export function rankErrorRuns<R extends ErrorRun>(runs: readonly R[], limit: number): R[] {
  const length = (r: ErrorRun): number => r.to - r.from + 1
  const pick = (o: ErrorOutcome, by: (a: R, b: R) => number): R[] =>
    runs
      .filter((r) => r.outcome === o)
      .sort(by)
      .slice(0, limit)
  return [
    ...pick('FP1', (a, b) => (b.distance ?? 0) - (a.distance ?? 0) || length(b) - length(a)),
    ...pick('FN', (a, b) => length(b) - length(a) || a.from - b.from),
    ...pick('FP2', (a, b) => length(b) - length(a) || a.from - b.from)
  ]
}

export interface CompareCounts {
  /** Frames A gets right (TP or TN) and B gets wrong (FP1, FP2 or FN). */
  onlyA: number
  onlyB: number
  bothRight: number
  bothWrong: number
}

export interface CompareRun {
  /** Which track gets these frames right (the other gets them wrong). */
  right: 'A' | 'B'
  from: number
  /** Inclusive. */
  to: number
}

/** Frames evaluated in both (the same ground truth, so the same frames), compared one by one. */
export function compareOutcomes(a: Int8Array, b: Int8Array): { counts: CompareCounts; runs: CompareRun[] } {
  const counts: CompareCounts = { onlyA: 0, onlyB: 0, bothRight: 0, bothWrong: 0 }
  const runs: CompareRun[] = []
  let open: CompareRun | null = null
  const n = Math.min(a.length, b.length)
  for (let f = 0; f < n; f++) {
    const ca = a[f]!
    const cb = b[f]!
    let right: 'A' | 'B' | null = null
    if (ca !== NOT_EVALUATED && cb !== NOT_EVALUATED) {
      const ra = isRightCode(ca)
      const rb = isRightCode(cb)
      if (ra && rb) counts.bothRight++
      else if (!ra && !rb) counts.bothWrong++
      else right = ra ? 'A' : 'B'
    }
    if (right === 'A') counts.onlyA++
    if (right === 'B') counts.onlyB++
    if (open && (right !== open.right || f !== open.to + 1)) open = null
    if (right && open) open.to = f
    else if (right) {
      open = { right, from: f, to: f }
      runs.push(open)
    }
  }
  return { counts, runs }
}
