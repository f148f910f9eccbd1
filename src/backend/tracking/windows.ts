// Runs in the backend (plain Node): how a clip is cut into model windows, exactly as
// training/shuttle_training/predict.py + dataset.windows_for_eval do it, so the app's predictions are the ones
// the model was evaluated with: windows of frames_in frames at stride frames_in, the last one anchored at the
// clip's end (it may overlap the one before; a frame covered twice gets the MEAN of its probabilities), and
// output k of a window is input frame off + k with off = (frames_in - frames_out) / 2, rounded down.

export interface WindowLayout {
  /** First input frame of each window, increasing. */
  starts: number[]
  framesIn: number
  framesOut: number
  /** Output k of the window starting at s is frame s + offset + k. */
  offset: number
}

export function windowLayout(frameCount: number, framesIn: number, framesOut: number): WindowLayout {
  if (frameCount < framesIn) {
    throw new RangeError(`the video has ${frameCount} frames, fewer than the model's window of ${framesIn}`)
  }
  const starts: number[] = []
  for (let s = 0; s <= frameCount - framesIn; s += framesIn) starts.push(s)
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
 * Where a resumed run starts when windows [0, done) had finished: the last window may overlap the one before
 * it, and an overlapped frame needs BOTH windows' outputs, so the run backs up until no finished window
 * still writes to an unfinished frame.
 */
export function resumeWindow(layout: WindowLayout, done: number, frameCount: number): number {
  let w = Math.min(done, layout.starts.length)
  while (
    w > 0 &&
    (layout.starts[w - 1] as number) + layout.offset + layout.framesOut > finalBefore(layout, w, frameCount)
  ) {
    w--
  }
  return w
}
