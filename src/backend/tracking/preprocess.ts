// Runs in the backend (plain Node): turns letterboxed frames into the model's input, as
// training/shuttle_training/augment.full_frame_input does: float32 NCHW, frames oldest first, then the
// background frame; RGB order; value / 255. Frames arrive as the SCALED picture (scaledWidth × scaledHeight,
// rgb24); the letterbox padding (right and bottom, black = 0) is never written, because every input buffer is
// zero-filled when made and only ever reused within one track (same geometry, same background).
import type { ModelSpec } from './model-spec'

const LUT = new Float32Array(256)
for (let i = 0; i < 256; i++) LUT[i] = i / 255

export interface InputGeometry {
  spec: ModelSpec
  scaledWidth: number
  scaledHeight: number
}

/**
 * A batch buffer for one track: the letterbox padding 0 and, when the model takes one, the background (made by
 * newPlanes/toPlanes) in every slot. The background is the same for every window of the track, so it is written
 * once here and never again: writeWindow copies only the frames, a quarter less memory traffic per window.
 */
export function newInputBuffer(
  g: InputGeometry,
  batch: number,
  background: Float32Array | null
): Float32Array {
  const { width: W, height: H, channels } = g.spec
  const out = new Float32Array(batch * channels * H * W)
  if (g.spec.background) {
    if (!background) throw new Error('this model needs a background frame')
    for (let slot = 0; slot < batch; slot++)
      out.set(background, (slot * channels + 3 * g.spec.framesIn) * W * H)
  }
  return out
}

/**
 * One picture as the model reads it: three planes (R, G, B) of the model's width × height, value / 255, the
 * letterbox padding 0. A frame is converted once into this and copied into each window that reads it (three
 * at stride 1), and the background once per track: a copy costs a fraction of a conversion.
 */
export function newPlanes(g: InputGeometry): Float32Array {
  return new Float32Array(3 * g.spec.height * g.spec.width)
}

/** Converts a scaled rgb24 picture into planes made by newPlanes for the same geometry (padding left 0). */
export function toPlanes(out: Float32Array, g: InputGeometry, rgb: Uint8Array): Float32Array {
  const { width: W, height: H } = g.spec
  const plane = W * H
  const sw = g.scaledWidth
  const sh = g.scaledHeight
  for (let y = 0; y < sh; y++) {
    let src = y * sw * 3
    let dst = y * W
    for (let x = 0; x < sw; x++) {
      out[dst] = LUT[rgb[src] as number] as number
      out[dst + plane] = LUT[rgb[src + 1] as number] as number
      out[dst + 2 * plane] = LUT[rgb[src + 2] as number] as number
      src += 3
      dst++
    }
  }
  return out
}

/**
 * One window's frames, oldest first, into batch slot `slot` of a buffer made by newInputBuffer (which holds the
 * background already).
 */
export function writeWindow(
  out: Float32Array,
  g: InputGeometry,
  slot: number,
  frames: readonly Float32Array[]
): void {
  const { width: W, height: H, channels } = g.spec
  const plane = W * H
  for (let j = 0; j < frames.length; j++)
    out.set(frames[j] as Float32Array, (slot * channels + 3 * j) * plane)
}
