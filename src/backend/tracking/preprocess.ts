// Runs in the backend (plain Node): turns letterboxed frames into the model's input, as
// training/shuttle_training/augment.full_frame_input does: float32 NCHW, frames oldest first, then the
// background frame; RGB order; value / 255. Frames arrive as the SCALED picture (scaledWidth × scaledHeight,
// rgb24); the letterbox padding (right and bottom, black = 0) is never written, because every input buffer is
// zero-filled when made and only ever reused for the same geometry.
import type { ModelSpec } from './model-spec'

const LUT = new Float32Array(256)
for (let i = 0; i < 256; i++) LUT[i] = i / 255

export interface InputGeometry {
  spec: ModelSpec
  scaledWidth: number
  scaledHeight: number
}

export function newInputBuffer(g: InputGeometry, batch: number): Float32Array {
  return new Float32Array(batch * g.spec.channels * g.spec.height * g.spec.width)
}

/** Writes one RGB picture into channels [c0, c0 + 3) of batch slot `slot`. */
export function writePicture(
  out: Float32Array,
  g: InputGeometry,
  slot: number,
  c0: number,
  rgb: Uint8Array
): void {
  const { width: W, height: H, channels } = g.spec
  const plane = W * H
  const base = (slot * channels + c0) * plane
  const sw = g.scaledWidth
  const sh = g.scaledHeight
  for (let y = 0; y < sh; y++) {
    let src = y * sw * 3
    let dst = base + y * W
    for (let x = 0; x < sw; x++) {
      out[dst] = LUT[rgb[src] as number] as number
      out[dst + plane] = LUT[rgb[src + 1] as number] as number
      out[dst + 2 * plane] = LUT[rgb[src + 2] as number] as number
      src += 3
      dst++
    }
  }
}

/** One window (frames oldest first, then the background when the model takes one) into batch slot `slot`. */
export function writeWindow(
  out: Float32Array,
  g: InputGeometry,
  slot: number,
  frames: readonly Uint8Array[],
  background: Uint8Array | null
): void {
  frames.forEach((f, j) => writePicture(out, g, slot, 3 * j, f))
  if (g.spec.background) {
    if (!background) throw new Error('this model needs a background frame')
    writePicture(out, g, slot, 3 * g.spec.framesIn, background)
  }
}
