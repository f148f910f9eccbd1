// Runs in the backend (plain Node): how adaptation holds back part of the user's labels to measure the adapted
// model on frames it never trained on, and how --max-frames thins the rest. Pure and deterministic, so the
// same folder always gives the same split (and a resumed run trains on what it started with).

/** Whole clips held back: about this share of the labelled frames. */
export const HELD_CLIP_SHARE = 0.2
/** Split by time: the last quarter of each clip's labelled frames is held back. */
export const HELD_TIME_SHARE = 0.25
/**
 * Whole clips are held back only where at least this many clips have labels. With two, holding one back trains
 * on a single scene and measures on another: on a lab camera's two recordings (a rally and a pitching machine)
 * the model adapted on the rally scored below the base on the pitching machine, so `adapt` handed back the base
 * weights after ten minutes (training/RESULTS.md). Split by time, every clip is trained on and measured.
 */
export const MIN_CLIPS_HELD_WHOLE = 3

/**
 * The indices of the clips held back whole, given each clip's labelled frame count: where MIN_CLIPS_HELD_WHOLE
 * or more clips have labels, the clips whose labels come nearest to a fifth of all (at least one clip, never
 * every labelled clip; among equals the later clip, so the split stays put as clips are added at the end).
 * Empty where fewer clips have labels: then every labelled clip is split by time (timeSplitFrom).
 */
export function clipsToHoldBack(labelled: readonly number[]): Set<number> {
  const candidates = labelled.map((n, i) => ({ n, i })).filter((c) => c.n > 0)
  const held = new Set<number>()
  if (candidates.length < MIN_CLIPS_HELD_WHOLE) return held
  const target = HELD_CLIP_SHARE * candidates.reduce((s, c) => s + c.n, 0)
  let heldSum = 0
  while (candidates.length - held.size > 1) {
    let best: { n: number; i: number } | null = null
    for (const c of candidates) {
      if (held.has(c.i)) continue
      if (!best || Math.abs(heldSum + c.n - target) <= Math.abs(heldSum + best.n - target)) best = c
    }
    if (!best) break
    const closer = Math.abs(heldSum + best.n - target) < Math.abs(heldSum - target)
    if (held.size > 0 && !closer) break
    held.add(best.i)
    heldSum += best.n
  }
  return held
}

/**
 * The first held-back frame of a clip split by time: the last quarter of its labelled frames (at least one)
 * is held back. `frames` are the labelled frames in ascending order; null when there are none.
 */
export function timeSplitFrom(frames: readonly number[]): number | null {
  if (!frames.length) return null
  const held = Math.max(1, Math.ceil(frames.length * HELD_TIME_SHARE))
  return frames[frames.length - held]!
}

/** At most `n` of `items`, taken evenly over them in order (all of them when there are no more than n). */
export function takeEvenly<T>(items: readonly T[], n: number | undefined): T[] {
  if (n === undefined || items.length <= n) return [...items]
  const out: T[] = []
  for (let i = 0; i < n; i++) out.push(items[Math.floor(((i + 0.5) * items.length) / n)]!)
  return out
}
