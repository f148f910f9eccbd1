// Runs everywhere (shared): chooses, for every frame, one of the heatmap's strongest blobs (decode.ts
// `candidates`) or none, so that the choices form one plausible shuttle flight instead of each frame's single
// strongest blob. The strongest blob is often something else: a shuttle lying on the floor, a logo, a player's
// shoe — and such things are either still (they stay where they are for seconds) or they jump away from the
// flight. A Viterbi pass finds the path that maximises
//   Σ emission + Σ transition
// with, per frame,
//   emission(candidate) = ln(mass / strongest mass of the frame) − (staticPenalty if it is static)
//   emission(none)      = −skipCost when the frame has candidates, else 0
// and, between consecutive frames, a ballistic motion model on the last three choices:
//   a move faster than maxSpeed costs jumpCost (one object cannot do that: it is a switch between objects;
//   less than skipCost, so a frame whose only blob jumps is kept, and the choice only changes where another
//   blob continues the flight);
//   otherwise the change of velocity (|p(t+1) − 2 p(t) + p(t−1)|) costs accelWeight · min(1, (a / (maxSpeed/2))²),
//   so a smooth flight is free and a hit (the velocity reverses) costs at most accelWeight.
// A candidate is static when, for at least staticShare of the frames of some window of 2·staticSeconds that
// holds its frame, some candidate lies within staticRadius of it: still for seconds, which a shuttle in play
// never is (a labelled broadcast shuttle stays within 5 px for at most 0.83 s in the real training clips).
// Every quantity in time is given in seconds and converted with the video's frame rate, so the same settings
// hold at 30 and at 120 frames/s. The states are pairs (choice at t−1, choice at t), so the motion model sees
// three frames and the path is still exact: at most (K+1)³ steps per frame for K candidates.
import type { Candidate } from './decode'
import { letterbox, type ModelSize } from './letterbox'

export interface TrajectoryOptions {
  /** Frames per second of the video. */
  fps: number
  /** Video size in pixels (distances scale with the width). */
  video: { width: number; height: number }
  /**
   * The model's input size. Where given, staticRadius is a share of the width of the model's view of the video
   * (the letterbox's whole width in video pixels: the video's width for 16:9, more for 4:3 or portrait video,
   * whose every heatmap pixel covers more of it), so "the same place" is the same number of heatmap pixels
   * whatever the video's shape.
   */
  input?: ModelSize
  /** Fastest plausible shuttle movement, in video widths per second. Default 2.4 (8 % of the width per frame
   *  at 30 frames/s, rectify.ts's limit). */
  maxSpeed?: number
  /** Cost of leaving a frame that has candidates without a choice. Default 2.5. */
  skipCost?: number
  /** Cost of a move faster than maxSpeed between consecutive choices. Default 2. */
  jumpCost?: number
  /** Weight of the change of velocity. Default 1. */
  accelWeight?: number
  /** Half-width, in seconds, of the window that decides whether a candidate is static. Default 1. */
  staticSeconds?: number
  /** Share of that window's frames with a candidate at the same place that makes one static. Default 0.9. */
  staticShare?: number
  /** "The same place": within this share of the video's width (of the model's view, with `input`). Default
   *  0.004 (5 px at 1280, 2 heatmap pixels of 512). */
  staticRadius?: number
  /** Cost of a static candidate. Default 4: more than skipCost, so a lone static blob is left out. */
  staticPenalty?: number
}

export const TRAJECTORY_DEFAULTS = {
  maxSpeed: 2.4,
  skipCost: 2.5,
  jumpCost: 2,
  accelWeight: 1,
  staticSeconds: 1,
  staticShare: 0.9,
  staticRadius: 0.004,
  staticPenalty: 4
} as const

/**
 * The width, in video pixels, that the model's input width stands for (exactly the video's width when the
 * picture fills the input's width): a still object's position wobbles by a heatmap pixel or so, which is 2.5
 * video pixels of 1280×720 but 7 of a portrait 1536×2048.
 */
function viewWidth(o: TrajectoryOptions): number {
  return o.input ? o.video.width * (o.input.width / letterbox(o.video, o.input).scaledWidth) : o.video.width
}

/**
 * For each frame and candidate: whether it stays at one place for most of some window of 2·staticSeconds that
 * holds this frame. Any such window, not only the one centred on the frame: a shuttle that lands and lies still
 * for two seconds is static for all of those two seconds, where a centred window would judge only their middle
 * (at its edges half of that window is the flight before it landed).
 */
export function staticCandidates(
  frames: readonly (readonly Candidate[])[],
  o: TrajectoryOptions
): boolean[][] {
  const half = Math.max(1, Math.round((o.staticSeconds ?? TRAJECTORY_DEFAULTS.staticSeconds) * o.fps))
  const share = o.staticShare ?? TRAJECTORY_DEFAULTS.staticShare
  const r = (o.staticRadius ?? TRAJECTORY_DEFAULTS.staticRadius) * viewWidth(o)
  const span = 2 * half // a window is span + 1 frames (c's own frame among them, counted as not near)
  const last = frames.length - 1
  const enough = (misses: number): boolean => span - misses >= share * span
  // left[j] / right[j]: frames among the j before / after c's frame without a candidate within r of c. Each side
  // is read outward only until it alone has too many misses for any window: a moving blob stops after a few
  // frames, only a still one is read across the whole reach.
  const left = new Int32Array(span + 1)
  const right = new Int32Array(span + 1)
  const missesOutward = (t: number, c: Candidate, step: 1 | -1, reach: number, out: Int32Array): number => {
    let misses = 0
    let j = 0
    while (j < reach) {
      const u = t + step * ++j
      if (!(frames[u] as readonly Candidate[]).some((d) => Math.hypot(d.x - c.x, d.y - c.y) <= r)) misses++
      out[j] = misses
      if (!enough(misses)) break
    }
    return j
  }
  return frames.map((cands, t) =>
    cands.map((c) => {
      // A clip shorter than the window cannot show that something stays put for that long.
      if (last < span) return false
      const nl = missesOutward(t, c, -1, Math.min(span, t), left)
      const nr = missesOutward(t, c, 1, Math.min(span, last - t), right)
      // Every window [from, from + span] that holds t and lies in the clip.
      for (let from = Math.max(0, t - span); from <= Math.min(t, last - span); from++) {
        const before = t - from
        const after = from + span - t
        if (before <= nl && after <= nr && enough((left[before] as number) + (right[after] as number)))
          return true
      }
      return false
    })
  )
}

/**
 * The chosen candidate's index for every frame, or -1 where the best path leaves the frame without one.
 * Candidates of a frame are strongest first (as decode.ts gives them).
 */
export function chooseTrajectory(frames: readonly (readonly Candidate[])[], o: TrajectoryOptions): number[] {
  const T = frames.length
  if (T === 0) return []
  if (!(o.fps > 0)) throw new RangeError(`a frame rate must be positive, not ${o.fps}`)
  const vmax = ((o.maxSpeed ?? TRAJECTORY_DEFAULTS.maxSpeed) * o.video.width) / o.fps
  const skip = o.skipCost ?? TRAJECTORY_DEFAULTS.skipCost
  const jump = o.jumpCost ?? TRAJECTORY_DEFAULTS.jumpCost
  const accelWeight = o.accelWeight ?? TRAJECTORY_DEFAULTS.accelWeight
  const staticPenalty = o.staticPenalty ?? TRAJECTORY_DEFAULTS.staticPenalty
  const still = staticCandidates(frames, o)

  // Option n of frame t (n = number of candidates) is "none".
  const count = (t: number): number => (t >= 0 ? (frames[t] as readonly Candidate[]).length : 0)
  const emission = (t: number, c: number): number => {
    const cands = frames[t] as readonly Candidate[]
    if (c === cands.length) return cands.length ? -skip : 0
    const top = (cands[0] as Candidate).mass
    const m = (cands[c] as Candidate).mass
    return Math.log(m > 0 && top > 0 ? m / top : 1e-9) - ((still[t] as boolean[])[c] ? staticPenalty : 0)
  }
  const at = (t: number, c: number): Candidate | null =>
    t >= 0 && c < count(t) ? ((frames[t] as readonly Candidate[])[c] as Candidate) : null
  const transition = (t: number, a: number, b: number, c: number): number => {
    const pc = at(t, c)
    const pb = at(t - 1, b)
    if (!pc || !pb) return 0 // nothing to compare: a flight may start (or end) anywhere
    const v = Math.hypot(pc.x - pb.x, pc.y - pb.y)
    if (v > vmax) return -jump
    const pa = at(t - 2, a)
    if (!pa || Math.hypot(pb.x - pa.x, pb.y - pa.y) > vmax) return 0
    const acc = Math.hypot(pc.x - 2 * pb.x + pa.x, pc.y - 2 * pb.y + pa.y) / (vmax / 2)
    return -accelWeight * Math.min(1, acc * acc)
  }

  // score[a * (nb + 1) + b]: best path ending with option a at t-1 and b at t. back[t] holds, per state, the
  // option at t-2 it came from.
  let prevN = 0 // options at t-1 minus one (frame -1 has only "none")
  let score = new Float64Array(count(0) + 1)
  for (let b = 0; b <= count(0); b++) score[b] = emission(0, b)
  const back: Int16Array[] = [new Int16Array(count(0) + 1)]
  for (let t = 1; t < T; t++) {
    const nb = count(t - 1)
    const nc = count(t)
    const next = new Float64Array((nb + 1) * (nc + 1)).fill(-Infinity)
    const bp = new Int16Array((nb + 1) * (nc + 1))
    for (let a = 0; a <= prevN; a++) {
      for (let b = 0; b <= nb; b++) {
        const s = score[a * (nb + 1) + b] as number
        if (s === -Infinity) continue
        for (let c = 0; c <= nc; c++) {
          const v = s + transition(t, a, b, c) + emission(t, c)
          const i = b * (nc + 1) + c
          if (v > (next[i] as number)) {
            next[i] = v
            bp[i] = a
          }
        }
      }
    }
    score = next
    back.push(bp)
    prevN = nb
  }

  // Best final state, then back along the pointers.
  let best = 0
  for (let i = 1; i < score.length; i++) if ((score[i] as number) > (score[best] as number)) best = i
  const pick = new Array<number>(T)
  const ncLast = count(T - 1)
  let b = Math.floor(best / (ncLast + 1))
  let c = best % (ncLast + 1)
  for (let t = T - 1; t >= 0; t--) {
    pick[t] = c === count(t) ? -1 : c
    if (t === 0) break
    const a = (back[t] as Int16Array)[b * (count(t) + 1) + c] as number
    c = b
    b = a
  }
  return pick
}
