// Runs in the renderer: the motion view's arithmetic — a per-pixel median of frames sampled across the clip
// (the empty court: players and shuttle move, the background does not) and the amplified difference of a
// frame from it, where a 3-pixel shuttle stands out against a busy crowd.
import { medianPicture } from '@shared/median-picture'

/** Median of each channel over the sampled frames (all the same size, RGBA; opaque, so alpha stays 255). */
export function medianBackground(frames: readonly Uint8ClampedArray[]): Uint8ClampedArray {
  if (!frames.length) return new Uint8ClampedArray(0)
  const median = medianPicture(frames.map((f) => new Uint8Array(f.buffer, f.byteOffset, f.length)))
  return new Uint8ClampedArray(median.buffer, median.byteOffset, median.length)
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
