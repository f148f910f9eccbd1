// Runs in the backend (plain Node): the tracking pipeline for one video, from a given window to the end:
//   decode (ffmpeg, scaled in ffmpeg) ‖ preprocess (float32 NCHW windows, batched) ‖ inference (worker thread)
//   ‖ heatmap decoding, in order.
// Every stage is bounded — the decoder pauses after a few frames, only the frames the next window needs are
// kept, at most IN_FLIGHT batches wait for the model, and finished frames leave in chunks — so memory stays
// flat whatever the video's length. While the worker runs a batch this thread decodes and prepares the next.
import { ApiError } from '../../shared/api/errors'
import type { Letterbox } from '../../shared/heatmap'
import type { FrameSourceOptions } from './frame-source'
import { scaledFrames } from './frame-source'
import type { ScaledFrame } from '../video'
import { HeatmapMerge, type RawDetection } from './heatmap-merge'
import type { ModelSpec } from './model-spec'
import { newInputBuffer, newPlanes, toPlanes, writeWindow, type InputGeometry } from './preprocess'
import { finalBefore, inputFrame, outputFrame, type WindowLayout } from './windows'

export interface Inference {
  /** `output`: a spare result buffer to fill when it fits (inference-client.ts). */
  run(
    input: Float32Array,
    dims: number[],
    output?: Float32Array
  ): Promise<{ data: Float32Array; input: Float32Array }>
}

export interface PipelineOptions extends FrameSourceOptions {
  path: string
  spec: ModelSpec
  lb: Letterbox
  frameCount: number
  layout: WindowLayout
  /** First window to run (resume). */
  startWindow: number
  /** Frames before this one are already done (a resume); the windows' outputs for them are ignored. */
  firstFrame?: number
  background: Uint8Array | null
  inference: Inference
  /** Windows per model call. */
  batch: number
  /** Batches waiting for the model at once (default IN_FLIGHT; two for each session of an InferencePool). */
  inFlight?: number
  /** Called, and awaited, with finished frames in order; windowsDone says where a resume would continue. */
  onChunk(detections: RawDetection[], windowsDone: number): Promise<void>
  /** Frames already decoded (a short clip kept from the background pass); default: decode with ffmpeg. */
  frames?: (from: number) => AsyncIterable<ScaledFrame>
  /** Frames finished per chunk (the granularity of progress and of resuming). */
  chunkFrames?: number
}

export interface PipelineStats {
  windowsRun: number
  framesDecoded: number
}

/** Batches waiting for one session at once: one running, one ready to go. */
export const IN_FLIGHT = 2

export async function runPipeline(o: PipelineOptions): Promise<PipelineStats> {
  const { spec, layout } = o
  const { starts } = layout
  const g: InputGeometry = { spec, scaledWidth: o.lb.scaledWidth, scaledHeight: o.lb.scaledHeight }
  const perWindow = spec.channels * spec.height * spec.width
  const plane = spec.height * spec.width
  const merge = new HeatmapMerge(
    spec,
    o.lb.video,
    Math.max(o.firstFrame ?? 0, finalBefore(layout, o.startWindow, o.frameCount))
  )
  const chunkFrames = o.chunkFrames ?? 60
  const inFlightMax = o.inFlight ?? IN_FLIGHT
  const stats: PipelineStats = { windowsRun: 0, framesDecoded: 0 }
  if (o.startWindow >= starts.length) return stats

  const pool: Float32Array[] = []
  // Result buffers go back to the worker once every frame they hold a heatmap of is decoded (the merge keeps
  // views into them until then): megabytes per batch, no longer made and collected on both threads.
  const spareOutputs: Float32Array[] = []
  const lentOutputs: { data: Float32Array; lastFrame: number }[] = []
  const inFlight: { windows: number[]; result: Promise<{ data: Float32Array; input: Float32Array }> }[] = []
  let ready: RawDetection[] = []
  let batchBuf: Float32Array | null = null
  let batchWindows: number[] = []

  const flush = async (force: boolean, windowsDone: number): Promise<void> => {
    if (ready.length && (force || ready.length >= chunkFrames)) {
      const out = ready
      ready = []
      await o.onChunk(out, windowsDone)
    }
  }
  const settleOldest = async (): Promise<void> => {
    const job = inFlight.shift()!
    const { data, input } = await job.result
    if (input.length === o.batch * perWindow) pool.push(input)
    let lastFrame = -1
    job.windows.forEach((w, slot) => {
      for (let k = 0; k < spec.framesOut; k++) {
        const at = (slot * spec.framesOut + k) * plane
        const frame = outputFrame(layout, w, k)
        merge.add(frame, data.subarray(at, at + plane))
        lastFrame = Math.max(lastFrame, frame)
      }
    })
    const lastW = job.windows[job.windows.length - 1] as number
    stats.windowsRun += job.windows.length
    ready.push(...merge.finish(finalBefore(layout, lastW + 1, o.frameCount)))
    if (job.windows.length === o.batch) lentOutputs.push({ data, lastFrame })
    for (let i = lentOutputs.length - 1; i >= 0; i--) {
      const lent = lentOutputs[i] as { data: Float32Array; lastFrame: number }
      if (lent.lastFrame >= merge.next) continue
      spareOutputs.push(lent.data)
      lentOutputs.splice(i, 1)
    }
    await flush(lastW + 1 === starts.length, lastW + 1)
  }
  const submit = async (): Promise<void> => {
    if (!batchBuf || !batchWindows.length) return
    const n = batchWindows.length
    // A short last batch gets its own exact-size buffer: the tensor's length must match its dims.
    const input = n === o.batch ? batchBuf : batchBuf.slice(0, n * perWindow)
    if (n !== o.batch) pool.push(batchBuf)
    inFlight.push({
      windows: batchWindows,
      result: o.inference.run(input, [n, spec.channels, spec.height, spec.width], spareOutputs.pop())
    })
    batchBuf = null
    batchWindows = []
    while (inFlight.length >= inFlightMax) await settleOldest()
  }

  try {
    return await drive()
  } catch (e) {
    // A cancel or a failure: the batches still with the model are waited for (their outcome no longer
    // matters), so nothing of this run is in onnxruntime when the caller closes the inference worker.
    await Promise.allSettled(inFlight.map((j) => j.result))
    throw e
  }

  async function drive(): Promise<PipelineStats> {
    // Each frame converted to the model's planes once, kept while a window still reads it; the buffers of
    // frames no longer read are reused, so a long video allocates a handful, not one per frame.
    const held = new Map<number, Float32Array>()
    const spare: Float32Array[] = []
    const background = o.background ? toPlanes(newPlanes(g), g, o.background) : null
    let w = o.startWindow
    const first = starts[w] as number
    const source = o.frames ? o.frames(first) : scaledFrames(o.path, o.lb, { ...o, from: first })
    for await (const f of source) {
      stats.framesDecoded++
      held.set(f.frame, toPlanes(spare.pop() ?? newPlanes(g), g, f.rgb))
      while (w < starts.length && held.has(inputFrame(layout, w, spec.framesIn - 1))) {
        const frames: Float32Array[] = []
        for (let j = 0; j < spec.framesIn; j++) {
          const pic = held.get(inputFrame(layout, w, j))
          if (!pic)
            throw new ApiError('internal', `frame ${inputFrame(layout, w, j)} is missing from window ${w}`)
          frames.push(pic)
        }
        batchBuf ??= pool.pop() ?? newInputBuffer(g, o.batch, background)
        writeWindow(batchBuf, g, batchWindows.length, frames)
        batchWindows.push(w)
        w++
        // Only frames a later window still reads are kept (the last window may reach back).
        const keepFrom = w < starts.length ? (starts[w] as number) : Infinity
        for (const [k, planes] of held)
          if (k < keepFrom) {
            held.delete(k)
            spare.push(planes)
          }
        if (batchWindows.length === o.batch) await submit()
      }
      if (o.signal?.aborted) throw new ApiError('cancelled', 'Tracking was cancelled.')
      if (w >= starts.length) break
    }
    if (w < starts.length) {
      throw new ApiError(
        'io',
        `the video ended after ${stats.framesDecoded} frames, before frame ${inputFrame(layout, w, spec.framesIn - 1)}.`
      )
    }
    await submit()
    while (inFlight.length) await settleOldest()
    await flush(true, starts.length)
    return stats
  }
}
