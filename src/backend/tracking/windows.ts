// Runs in the backend (plain Node): how a clip is cut into model windows, exactly as
// training/shuttle_training/predict.py + dataset.windows_for_eval do it, so the app's predictions are the ones
// the model was evaluated with: windows of frames_in frames every `stride` frames (the model's
// shuttle.window_stride: frames_in = no overlap; 1 = every frame seen by frames_in windows, a temporal
// ensemble), the last one anchored at the clip's end; a frame covered by several windows gets the MEAN of
// their probabilities; output k of a window is input frame off + k with off = (frames_in - frames_out) / 2,
// rounded down.
//
// Frame spacing: a model learnt its motion cues at one frame rate (shuttle.train_fps); on a faster video the
// shuttle moves less between consecutive frames than it ever saw. With spacing k a window reads frames
// s, s + k, s + 2k, … (the rate it was trained at) and its output k' is frame s + (off + k')·k. To still give
// every frame a position the clip is split into k phases (frames p, p + k, p + 2k, … for p < k), each cut
// into windows as above as if it were a clip of its own; the windows of all phases are run in order of their
// first frame, so a window's frames are still decoded once and held briefly.
export interface WindowLayout {
  /** First input frame of each window, increasing. */
  starts: number[]
  framesIn: number
  framesOut: number
  /** Output k of the window starting at s is frame s + (offset + k) · spacing. */
  offset: number
  /** Frames between a window's consecutive inputs: 1 reads consecutive frames. */
  spacing: number
}

/** Lowest and highest video frame rates a spacing is worked out for; outside them the rate is not believed. */
const PLAUSIBLE_FPS = { min: 1, max: 1000 }

/**
 * Frames between a window's inputs for a video at `videoFps` and a model trained at `trainFps` (null: the
 * model does not say, as models exported before shuttle.train_fps, so its windows read consecutive frames).
 * round(videoFps / trainFps), at least 1: a 119 fps video and a 30 fps model give 4, 60 and 30 give 2, 25
 * and 30 give 1. A rate that cannot be right throws rather than picking a spacing silently.
 */
export function frameSpacing(videoFps: number, trainFps: number | null): number {
  if (trainFps === null) return 1
  if (!(Number.isFinite(videoFps) && videoFps >= PLAUSIBLE_FPS.min && videoFps <= PLAUSIBLE_FPS.max)) {
    throw new RangeError(
      `its frame rate (${videoFps} frames/s) is unknown or implausible, so the frames the model (trained at ` +
        `${trainFps} frames/s) should see cannot be chosen; re-encode it with a constant frame rate`
    )
  }
  return Math.max(1, Math.round(videoFps / trainFps))
}

/** Video frame of input j of window w. */
export function inputFrame(layout: WindowLayout, w: number, j: number): number {
  return (layout.starts[w] as number) + j * layout.spacing
}

/** Video frame of output k of window w. */
export function outputFrame(layout: WindowLayout, w: number, k: number): number {
  return (layout.starts[w] as number) + (layout.offset + k) * layout.spacing
}

/** One phase's window starts, in the phase's own frame numbers (predict.py's windows_for_eval). */
function phaseStarts(count: number, framesIn: number, stride: number): number[] {
  const starts: number[] = []
  for (let s = 0; s <= count - framesIn; s += stride) starts.push(s)
  const last = starts[starts.length - 1] as number
  if (last + framesIn < count) starts.push(count - framesIn)
  return starts
}

export function windowLayout(
  frameCount: number,
  framesIn: number,
  framesOut: number,
  stride = framesIn,
  spacing = 1
): WindowLayout {
  if (!Number.isInteger(spacing) || spacing < 1)
    throw new RangeError(`a frame spacing must be a whole number from 1, not ${spacing}`)
  // The shortest phase has floor(frameCount / spacing) frames.
  if (Math.floor(frameCount / spacing) < framesIn) {
    const has = `the video has ${frameCount} frame${frameCount === 1 ? '' : 's'}`
    throw new RangeError(
      spacing === 1
        ? `${has}, fewer than the model's window of ${framesIn}`
        : `${has}, fewer than the model's window of ${framesIn} frames taken ` +
            `${spacing} apart (${framesIn * spacing} frames)`
    )
  }
  if (!Number.isInteger(stride) || stride < 1)
    throw new RangeError(`a window stride must be 1 or more, not ${stride}`)
  const starts: number[] = []
  for (let p = 0; p < spacing; p++) {
    const count = Math.floor((frameCount - 1 - p) / spacing) + 1
    for (const s of phaseStarts(count, framesIn, stride)) starts.push(p + s * spacing)
  }
  starts.sort((a, b) => a - b)
  return { starts, framesIn, framesOut, offset: Math.floor((framesIn - framesOut) / 2), spacing }
}

/**
 * Frames before this one are final once windows [0, w) are done: no later window writes to them. With
 * frames_out < frames_in some frames are covered by no window at all; they are final too (never visible).
 */
export function finalBefore(layout: WindowLayout, w: number, frameCount: number): number {
  // Starts increase, so no window from w on writes below its first output.
  const next = layout.starts[w]
  return next === undefined ? frameCount : next + layout.offset * layout.spacing
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
  while (w > 0 && outputFrame(layout, w - 1, layout.framesOut - 1) >= firstFrame) w--
  return { startWindow: w, firstFrame }
}
