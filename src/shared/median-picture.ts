// Runs everywhere (shared): the per-byte median of equally sized pictures, as numpy's median of uint8 values
// (floored when the count is even). The tracker's background frame (backend/tracking) must equal the training
// code's; the motion view's empty court (renderer/annotate) is the same arithmetic on RGBA pictures.

/** Per-byte median of equally sized pictures (same layout in, same layout out). */
export function medianPicture(pictures: readonly Uint8Array[]): Uint8Array {
  const k = pictures.length
  if (k === 0) throw new RangeError('a median needs at least one picture')
  const n = (pictures[0] as Uint8Array).length
  const out = new Uint8Array(n)
  const v = new Uint8Array(k)
  const mid = k >> 1
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) v[j] = (pictures[j] as Uint8Array)[i] as number
    // Selection, not a sort: it is on the critical path before the first window runs (a full insertion sort
    // of 63 values per byte took most of a second for one 512×288 background on 2 cores).
    const upper = selectNth(v, mid)
    if (k & 1) {
      out[i] = upper
      continue
    }
    let lower = 0
    for (let j = 0; j < mid; j++) if ((v[j] as number) > lower) lower = v[j] as number
    out[i] = (lower + upper) >> 1
  }
  return out
}

/**
 * Rearranges v so that v[nth] holds the value a sort would put there, everything before it is no larger and
 * everything after no smaller (Hoare's selection, median-of-three pivots); returns v[nth].
 */
function selectNth(v: Uint8Array, nth: number): number {
  let lo = 0
  let hi = v.length - 1
  while (hi > lo) {
    const m = (lo + hi) >> 1
    // Median of three as the pivot, so runs of sorted or equal values stay linear.
    const a = v[lo] as number
    const b = v[m] as number
    const c = v[hi] as number
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b
    let i = lo
    let j = hi
    while (i <= j) {
      while ((v[i] as number) < pivot) i++
      while ((v[j] as number) > pivot) j--
      if (i <= j) {
        const t = v[i] as number
        v[i] = v[j] as number
        v[j] = t
        i++
        j--
      }
    }
    if (nth <= j) hi = j
    else if (nth >= i) lo = i
    else break
  }
  return v[nth] as number
}
