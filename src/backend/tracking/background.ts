// Runs in the backend (plain Node): the median background frame for models trained with one
// (shuttle.background = true), exactly as training/shuttle_training/video.py median_background computes it:
// K = min(T, 63) frames at indices round(i·(T-1)/(K-1)) (Python's round, halves to even; duplicates dropped),
// per-pixel per-channel median of the letterboxed uint8 frames, floored when the count is even.
import { roundHalfEven } from '../../shared/heatmap'

export const BACKGROUND_SAMPLES = 63

export function backgroundSampleFrames(frameCount: number): number[] {
  const k = Math.min(frameCount, BACKGROUND_SAMPLES)
  const set = new Set<number>()
  for (let i = 0; i < k; i++) set.add(roundHalfEven((i * (frameCount - 1)) / Math.max(1, k - 1)))
  return [...set].sort((a, b) => a - b)
}

/** Per-byte median of equally sized pictures (same layout in, same layout out). */
export function medianPicture(pictures: readonly Uint8Array[]): Uint8Array {
  const k = pictures.length
  if (k === 0) throw new RangeError('a median needs at least one picture')
  const n = (pictures[0] as Uint8Array).length
  const out = new Uint8Array(n)
  const v = new Uint8Array(k)
  const mid = k >> 1
  for (let i = 0; i < n; i++) {
    // Insertion sort of k small values: k is at most 63, and this keeps everything in one typed array.
    for (let j = 0; j < k; j++) {
      const x = (pictures[j] as Uint8Array)[i] as number
      let m = j
      while (m > 0 && (v[m - 1] as number) > x) {
        v[m] = v[m - 1] as number
        m--
      }
      v[m] = x
    }
    out[i] = k & 1 ? (v[mid] as number) : ((v[mid - 1] as number) + (v[mid] as number)) >> 1
  }
  return out
}
