// Runs in the renderer: the timeline's "eval" lane of a clip that has an evaluation — the outcome of every frame
// (TP, FP1, FP2, FN, TN at the TrackNet tolerance; nothing drawn where the frame was not ground truth), straight
// from the typed array of codes, so a 200,000-frame clip costs no per-frame object. A second lane for model B.
import { OUTCOME_CODES } from '@shared/evaluation/outcome-codes'
import type { Lane } from '../timeline/lanes'
import type { EvalFrames } from '../stores/evaluation'

/** By outcome, in OUTCOME_CODES order (TN, TP, FP2, FN, FP1); no colour another lane uses. */
export const EVAL_COLORS: Readonly<Record<(typeof OUTCOME_CODES)[number], string>> = {
  TN: '#2e6b4a',
  TP: '#38d9a9',
  FP2: '#ff9f43',
  FN: '#a06cff',
  FP1: '#ff4d6d'
}

const colors = OUTCOME_CODES.map((o) => EVAL_COLORS[o])

export function evalLanes(f: EvalFrames | null): Lane[] {
  if (!f) return []
  const lane = (name: string, values: Int8Array): Lane => ({
    kind: 'category',
    name,
    values,
    colors,
    labels: [...OUTCOME_CODES]
  })
  return f.b ? [lane('eval A', f.a.outcomes), lane('eval B', f.b.outcomes)] : [lane('eval', f.a.outcomes)]
}
