// Runs in Node (Vitest): the pipeline's buffer reuse. Input batches are written with the background once per
// buffer, and result buffers go back to the model only once every frame they hold a heatmap of is decoded. A
// stand-in model checks each window it is given (frames in order, the background in every slot, the padding
// black) and answers with heatmaps that depend on the window, so a result buffer lent back too early (its
// heatmaps overwritten while a frame still waits for another window) changes what is detected.
import { describe, expect, it } from 'vitest'
import type { FfmpegInfo } from '../../../src/backend/ffmpeg/locate'
import type { RawDetection } from '../../../src/backend/tracking/heatmap-merge'
import { specFromMetadata } from '../../../src/backend/tracking/model-spec'
import { runPipeline, type Inference } from '../../../src/backend/tracking/pipeline'
import { windowLayout } from '../../../src/backend/tracking/windows'
import { letterbox } from '../../../src/shared/heatmap'
import { MINIMAL_METADATA } from './fixtures'

const W = 16
const H = 8
const spec = specFromMetadata({
  ...MINIMAL_METADATA,
  'shuttle.input_height': String(H),
  'shuttle.input_width': String(W),
  'shuttle.background': 'true'
})
const plane = W * H
// 64×24 into 16×8: a 16×6 picture, two rows of letterbox padding.
const lb = letterbox({ width: 64, height: 24 }, { width: W, height: H })
const BACKGROUND = 77

/** Frame f's picture: its number in every red byte, so a window's frames can be read back from its input. */
function picture(f: number): Uint8Array {
  const rgb = new Uint8Array(lb.scaledWidth * lb.scaledHeight * 3).fill(200)
  for (let i = 0; i < rgb.length; i += 3) rgb[i] = f
  return rgb
}

/**
 * A stand-in model. Output k of a window: one blob where its frame says, of a strength and shape that follow
 * the window, on logits far below the threshold. `lend` false ignores lent result buffers (always a new one).
 */
function fakeModel(layoutSpacing: number, lend: boolean): Inference & { lent: number; reused: number } {
  const m = {
    lent: 0,
    reused: 0,
    async run(input: Float32Array, dims: number[], output?: Float32Array) {
      // The heatmaps are written at once, before answering: a buffer lent while the merge still reads it is
      // overwritten before that read whatever the timing (the worker may write it any time after it is sent).
      const n = dims[0] as number
      const size = n * spec.framesOut * plane
      if (output) m.lent++
      const data = lend && output?.length === size ? output : new Float32Array(size)
      if (data === output) m.reused++
      for (let s = 0; s < n; s++) {
        const at = (c: number): number => (s * spec.channels + c) * plane
        const first = Math.round((input[at(0)] as number) * 255)
        for (let j = 0; j < spec.framesIn; j++)
          expect(Math.round((input[at(3 * j)] as number) * 255)).toBe(first + j * layoutSpacing)
        expect(Math.round((input[at(3 * spec.framesIn)] as number) * 255)).toBe(BACKGROUND)
        expect(input[at(3 * spec.framesIn) + plane - 1]).toBe(0) // letterbox padding
        for (let k = 0; k < spec.framesOut; k++) {
          const map = data.subarray((s * spec.framesOut + k) * plane, (s * spec.framesOut + k + 1) * plane)
          map.fill(-20)
          const peak = ((first + k * layoutSpacing) * 5) % (lb.scaledWidth * lb.scaledHeight)
          map[peak] = 1 + ((first * 7 + k) % 4)
          map[(peak + 1) % plane] = (first % 3) - 0.5
        }
      }
      await new Promise((r) => setImmediate(r))
      return { data, input }
    }
  }
  return m
}

async function track(frameCount: number, spacing: number, lend: boolean) {
  const layout = windowLayout(frameCount, spec.framesIn, spec.framesOut, 1, spacing)
  const model = fakeModel(spacing, lend)
  const detections: RawDetection[] = []
  const stats = await runPipeline({
    ffmpeg: {} as FfmpegInfo, // never used: the frames come from memory
    path: 'in-memory',
    spec,
    lb,
    frameCount,
    layout,
    startWindow: 0,
    background: new Uint8Array(lb.scaledWidth * lb.scaledHeight * 3).fill(BACKGROUND),
    inference: model,
    batch: 2,
    chunkFrames: 7,
    onChunk: async (d) => void detections.push(...d),
    frames: async function* (from) {
      for (let f = from; f < frameCount; f++) yield { frame: f, rgb: Buffer.from(picture(f)) }
    }
  })
  return { detections, stats, model }
}

describe('pipeline buffers', () => {
  for (const spacing of [1, 2]) {
    it(`reuses result buffers without changing a detection (frame spacing ${spacing})`, async () => {
      const fresh = await track(61, spacing, false)
      const reused = await track(61, spacing, true)
      expect(reused.model.reused).toBeGreaterThan(10)
      expect(fresh.model.lent).toBe(reused.model.lent)
      expect(reused.detections).toEqual(fresh.detections)
      expect(reused.detections.map((d) => d.frame)).toEqual([...Array(61).keys()])
      expect(reused.detections.filter((d) => d.visible).length).toBeGreaterThan(50)
    })
  }
})
