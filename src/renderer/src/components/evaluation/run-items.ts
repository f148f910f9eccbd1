// Runs in the renderer: the evaluation's run lists as rows a person reads and clicks — the worst error runs of
// one kind, and the frames one model gets right and the other wrong.
import type { EvalCompareRun, EvalErrorRun } from '../../stores/evaluation'

export interface RunItem {
  key: string
  clipId: string
  clip: string
  from: number
  to: number
  /** The frame a click opens. */
  frame: number
  label: string
  detail: string
}

const WHAT: Record<EvalErrorRun['outcome'], string> = {
  FP1: 'FP1 (found, too far off)',
  FP2: 'FP2 (found where there is none)',
  FN: 'FN (missed)'
}

type AnyRun = Pick<EvalErrorRun, 'clipId' | 'match' | 'clip' | 'from' | 'to'>

function item(r: AnyRun, frame: number, label: string, detail: string): RunItem {
  return {
    key: `${r.clipId}-${r.from}`,
    clipId: r.clipId,
    clip: `${r.match}/${r.clip}`,
    from: r.from,
    to: r.to,
    frame,
    label,
    detail
  }
}

export function errorItems(runs: readonly EvalErrorRun[], outcome: EvalErrorRun['outcome']): RunItem[] {
  return runs
    .filter((r) => r.outcome === outcome)
    .map((r) =>
      item(
        r,
        r.frame,
        WHAT[r.outcome],
        r.distance === null ? '' : `· ${r.distance.toFixed(1)} px off at worst`
      )
    )
}

export function compareItems(runs: readonly EvalCompareRun[], right: 'A' | 'B'): RunItem[] {
  return runs.filter((r) => r.right === right).map((r) => item(r, r.from, `only ${right} right`, ''))
}
