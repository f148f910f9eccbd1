// Runs in the renderer: the triage queue as a list a person can read — neighbouring frames flagged for the same
// reason become one entry ("120–340 nobody has labelled it"), and only a window of entries around the current
// frame is shown, so a 100,000-frame clip that nobody has labelled yet is a short list, not 100,000 rows.
import type { TriageReason } from './triage'

export interface TriageRun {
  from: number
  to: number
  reason: TriageReason
}

/** Consecutive frames with the same reason, as runs; `frames` sorted ascending, `reasons` parallel to it. */
export function triageRuns(frames: readonly number[], reasons: readonly TriageReason[]): TriageRun[] {
  const runs: TriageRun[] = []
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i]!
    const last = runs.at(-1)
    if (last && last.reason === reasons[i] && last.to === f - 1) last.to = f
    else runs.push({ from: f, to: f, reason: reasons[i]! })
  }
  return runs
}

/** The index of the first run that ends at or after `frame` (runs.length when none does). */
function firstEndingFrom(runs: readonly TriageRun[], frame: number): number {
  let lo = 0
  let hi = runs.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (runs[mid]!.to < frame) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** The index of the run that holds `frame`, or -1 when the frame needs no look. */
export function runIndexAt(runs: readonly TriageRun[], frame: number): number {
  const i = firstEndingFrom(runs, frame)
  return i < runs.length && runs[i]!.from <= frame ? i : -1
}

export interface TriageWindow {
  /** The runs to show, in order. */
  runs: TriageRun[]
  /** How many runs come before the first shown, and after the last. */
  before: number
  after: number
}

/**
 * At most `limit` runs around `frame`: the run that holds it (or the next one) in the middle where the list
 * allows, so the entry of the current frame and its neighbours are always on the list.
 */
export function triageWindow(runs: readonly TriageRun[], frame: number, limit: number): TriageWindow {
  if (runs.length <= limit) return { runs: [...runs], before: 0, after: 0 }
  const centre = Math.min(firstEndingFrom(runs, frame), runs.length - 1)
  const start = Math.max(0, Math.min(centre - Math.floor(limit / 2), runs.length - limit))
  return { runs: runs.slice(start, start + limit), before: start, after: runs.length - start - limit }
}
