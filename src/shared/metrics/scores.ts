// Runs everywhere (shared): precision, recall, F1 and accuracy from the counts. A ratio whose denominator is 0
// is 0 (no predictions: precision 0), as training/shuttle_training/metrics.py, so both sides print the same.
import type { Counts } from './counts'

export interface Scores {
  frames: number
  precision: number
  recall: number
  F1: number
  accuracy: number
}

export function scores(c: Counts): Scores {
  const frames = c.TP + c.FP1 + c.FP2 + c.FN + c.TN
  const predicted = c.TP + c.FP1 + c.FP2
  const precision = predicted ? c.TP / predicted : 0
  const recall = c.TP + c.FN ? c.TP / (c.TP + c.FN) : 0
  const F1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0
  const accuracy = frames ? (c.TP + c.TN) / frames : 0
  return { frames, precision, recall, F1, accuracy }
}
