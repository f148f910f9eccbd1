// Runs in the backend (plain Node): turns the scored clips of an evaluation into what the contract returns —
// per clip, per match and overall figures at both tolerances (added as counts and scored from the sums, with
// the shared metrics' summarise, exactly as `shuttle-studio eval` does), the worst error runs, and the A/B
// comparison.
import type { Result } from '../../shared/api/contract'
import { compareOutcomes, errorRuns, rankErrorRuns } from '../../shared/evaluation/runs'
import type { ClipScore } from '../../shared/evaluation/score-clip'
import { summarise, type MetricsSummary } from '../../shared/metrics/summary'

type EvalResult = Result<'evaluation.result'>
export type EvalSide = NonNullable<EvalResult['a']>
export type EvalComparison = NonNullable<EvalResult['comparison']>
type Figures = EvalSide['overall']['tracknet']

/** How many runs of each kind the lists keep: enough to work through, small enough to send at once. */
export const LIST_LIMIT = 100

export interface ScoredClip {
  clipId: string
  match: string
  clip: string
  frames: number
  width: number
  height: number
  notByPeople: number
  unknown: number
  score: ClipScore
}

function figures(s: MetricsSummary): Figures {
  return {
    TP: s.TP,
    FP1: s.FP1,
    FP2: s.FP2,
    FN: s.FN,
    TN: s.TN,
    frames: s.frames,
    precision: s.precision,
    recall: s.recall,
    F1: s.F1,
    accuracy: s.accuracy,
    distance: { count: s.distance.count, p50: s.distance.p50, p90: s.distance.p90, p95: s.distance.p95 }
  }
}

function both(clips: readonly ScoredClip[]): EvalSide['overall'] {
  return {
    tracknet: figures(summarise(clips.map((c) => c.score.tracknet))),
    strict: figures(summarise(clips.map((c) => c.score.strict)))
  }
}

export function sideResult(
  model: { id: string; path: string },
  rectify: boolean,
  clips: readonly ScoredClip[]
): EvalSide {
  const matches = [...new Set(clips.map((c) => c.match))]
  const runs = clips.flatMap((c) =>
    errorRuns(c.score.outcomes, c.score.distances).map((r) => ({
      clipId: c.clipId,
      match: c.match,
      clip: c.clip,
      ...r
    }))
  )
  return {
    model: model.id,
    modelPath: model.path,
    rectify,
    clips: clips.map((c) => {
      const f = both([c])
      return {
        clipId: c.clipId,
        match: c.match,
        clip: c.clip,
        frames: c.frames,
        evaluated: f.tracknet.frames,
        notByPeople: c.notByPeople,
        unknown: c.unknown,
        width: c.width,
        height: c.height,
        tolerance: { tracknet: c.score.tracknet.tolerance, strict: c.score.strict.tolerance },
        ...f
      }
    }),
    matches: matches.map((m) => {
      const mine = clips.filter((c) => c.match === m)
      return { match: m, clips: mine.length, ...both(mine) }
    }),
    overall: both(clips),
    worst: rankErrorRuns(runs, LIST_LIMIT)
  }
}

/** A and B scored the same clips against the same ground truth, in the same order. */
export function comparison(a: readonly ScoredClip[], b: readonly ScoredClip[]): EvalComparison {
  const total = { onlyA: 0, onlyB: 0, bothRight: 0, bothWrong: 0 }
  const clips: EvalComparison['clips'] = []
  const runs: (EvalComparison['runs'][number] & { length: number })[] = []
  a.forEach((ca, i) => {
    const cb = b[i]
    if (!cb || cb.clipId !== ca.clipId) return
    const r = compareOutcomes(ca.score.outcomes, cb.score.outcomes)
    const ref = { clipId: ca.clipId, match: ca.match, clip: ca.clip }
    clips.push({ ...ref, ...r.counts })
    for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += r.counts[k]
    for (const run of r.runs) runs.push({ ...ref, ...run, length: run.to - run.from + 1 })
  })
  const longest = (side: 'A' | 'B') =>
    runs
      .filter((r) => r.right === side)
      .sort((x, y) => y.length - x.length)
      .slice(0, LIST_LIMIT)
      .map(({ length: _length, ...r }) => r)
  return { ...total, clips, runs: [...longest('A'), ...longest('B')] }
}
