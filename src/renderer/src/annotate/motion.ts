// Runs in the renderer: the motion view's arithmetic — a per-pixel median of frames sampled across the clip
// (the empty court: players and shuttle move, the background does not) and the amplified difference of a
// frame from it, where a 3-pixel shuttle stands out against a busy crowd.

/** Median of each channel over the sampled frames (all the same size, RGBA). */
export function medianBackground(frames: readonly Uint8ClampedArray[]): Uint8ClampedArray {
  const n = frames.length
  const out = new Uint8ClampedArray(frames[0]?.length ?? 0)
  const buf = new Uint8Array(n)
  const mid = n >> 1
  for (let i = 0; i < out.length; i++) {
    if ((i & 3) === 3) {
      out[i] = 255
      continue
    }
    for (let k = 0; k < n; k++) buf[k] = frames[k]![i]!
    buf.sort()
    out[i] = buf[mid]!
  }
  return out
}

/** |frame − background| summed over RGB, times gain, as grey, into `out` (RGBA). */
export function motionImage(
  frame: Uint8ClampedArray,
  background: Uint8ClampedArray,
  gain: number,
  out: Uint8ClampedArray
): void {
  for (let i = 0; i < frame.length; i += 4) {
    const d =
      Math.abs(frame[i]! - background[i]!) +
      Math.abs(frame[i + 1]! - background[i + 1]!) +
      Math.abs(frame[i + 2]! - background[i + 2]!)
    const v = Math.min(255, d * gain)
    out[i] = v
    out[i + 1] = v
    out[i + 2] = v
    out[i + 3] = 255
  }
}
