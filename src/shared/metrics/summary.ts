// Runs everywhere (shared): the figures for a clip, a match or everything. Totals add the COUNTS and score the
// sums (so a long clip weighs more than a short one), never average the clips' F1; the distance percentiles
// pool every TP.
import { addCounts, emptyCounts, type Counts } from './counts'
import type { TrackEvaluation } from './evaluate'
import { summariseDistances, type DistanceSummary } from './percentiles'
import { scores, type Scores } from './scores'

export interface MetricsSummary extends Counts, Scores {
  distance: DistanceSummary
  missingPredictions: number
  unlabelledPredictions: number
}

export function summarise(evaluations: readonly TrackEvaluation[]): MetricsSummary {
  const counts = emptyCounts()
  const distances: number[] = []
  let missingPredictions = 0
  let unlabelledPredictions = 0
  for (const e of evaluations) {
    addCounts(counts, e.counts)
    for (const d of e.tpDistances) distances.push(d)
    missingPredictions += e.missingPredictions
    unlabelledPredictions += e.unlabelledPredictions
  }
  return {
    ...counts,
    ...scores(counts),
    distance: summariseDistances(distances),
    missingPredictions,
    unlabelledPredictions
  }
}
