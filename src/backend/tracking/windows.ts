// Runs in the backend (plain Node): how a clip is cut into model windows, exactly as
// training/shuttle_training/predict.py + dataset.windows_for_eval do it, so the app's predictions are the ones
// the model was evaluated with: windows of frames_in frames every `stride` frames (the model's
// shuttle.window_stride: frames_in = no overlap; 1 = every frame seen by frames_in windows, a temporal
// ensemble), the last one anchored at the clip's end; a frame covered by several windows gets the MEAN of
// their probabilities; output k of a window is input frame off + k with off = (frames_in - frames_out) / 2,
// rounded down.

export interface WindowLayout {
  /** First input frame of each window, increasing. */
  starts: number[]
  framesIn: number
  framesOut: number
  /** Output k of the window starting at s is frame s + offset + k. */
  offset: number
}

export function windowLayout(
  frameCount: number,
  framesIn: number,
  framesOut: number,
  stride = framesIn
): WindowLayout {
  if (frameCount < framesIn) {
    throw new RangeError(`the video has ${frameCount} frames, fewer than the model's window of ${framesIn}`)
  }
  const starts: number[] = []
  if (!Number.isInteger(stride) || stride < 1)
    throw new RangeError(`a window stride must be 1 or more, not ${stride}`)
  for (let s = 0; s <= frameCount - framesIn; s += stride) starts.push(s)
  const last = starts[starts.length - 1] as number
  if (last + framesIn < frameCount) starts.push(frameCount - framesIn)
  return { starts, framesIn, framesOut, offset: Math.floor((framesIn - framesOut) / 2) }
}

/**
 * Frames before this one are final once windows [0, w) are done: no later window writes to them. With
 * frames_out < frames_in some frames are covered by no window at all; they are final too (never visible).
 */
export function finalBefore(layout: WindowLayout, w: number, frameCount: number): number {
  const next = layout.starts[w]
  return next === undefined ? frameCount : next + layout.offset
}

/**
 * Where a resumed run starts when windows [0, done) had finished and the frames before
 * finalBefore(done) were saved: those frames are kept (firstFrame); every window that still writes to a later
 * frame runs again (startWindow) — with overlapping windows the finished ones' outputs for unfinished frames
 * were not saved, and an unfinished frame needs ALL its windows to be the mean a fresh run computes.
 */
export function resumePoint(
  layout: WindowLayout,
  done: number,
  frameCount: number
): { startWindow: number; firstFrame: number } {
  const firstFrame = finalBefore(layout, Math.min(done, layout.starts.length), frameCount)
  let w = Math.min(done, layout.starts.length)
  while (w > 0 && (layout.starts[w - 1] as number) + layout.offset + layout.framesOut > firstFrame) w--
  return { startWindow: w, firstFrame }
}
