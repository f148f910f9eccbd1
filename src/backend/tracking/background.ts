// Runs in the backend (plain Node): the median background frame for models trained with one
// (shuttle.background = true), exactly as training/shuttle_training/video.py median_background computes it:
// K = min(T, 63) frames at indices round(i·(T-1)/(K-1)) (Python's round, halves to even; duplicates dropped),
// per-pixel per-channel median of the letterboxed uint8 frames, floored when the count is even
// (shared/median-picture.ts).
import { roundHalfEven } from '../../shared/heatmap'

export const BACKGROUND_SAMPLES = 63

export function backgroundSampleFrames(frameCount: number): number[] {
  const k = Math.min(frameCount, BACKGROUND_SAMPLES)
  const set = new Set<number>()
  for (let i = 0; i < k; i++) set.add(roundHalfEven((i * (frameCount - 1)) / Math.max(1, k - 1)))
  return [...set].sort((a, b) => a - b)
}
