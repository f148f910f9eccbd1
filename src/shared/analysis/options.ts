// Runs everywhere (shared): the analysis' tuning knobs in one place, in seconds and image heights so that they
// mean the same at any frame rate and resolution; defaults tuned on synthetic broadcast rallies.

export interface AnalysisOptions {
  /** Invisible runs up to this long inside a rally are bridged (s). */
  maxGapSeconds: number
  /** Slower than this (image heights per second) counts as still. */
  stillHeightsPerSecond: number
  /**
   * The shuttle may go unseen this long anywhere in the frame (behind a player, lost by the tracker) and the rally
   * goes on (s): a rally needs far longer than this to end and the next to be served.
   */
  maxOcclusionSeconds: number
  /**
   * A still spell at least this long right after the shuttle came down in the image is a landing: the rally ends
   * there, whatever moves afterwards (the shuttle picked up, tossed back) (s).
   */
  minRestSeconds: number
  /** The shuttle may leave the frame (a clear above the top edge) this long and the rally goes on (s). */
  maxOffFrameSeconds: number
  /** "Near the edge" for leaving and re-entering the frame, as a share of the image height. */
  edgeMargin: number
  /** Still spells inside a rally up to this long do not split it (s). */
  maxStillSeconds: number
  /** Shorter moving runs are not rallies (s). */
  minRallySeconds: number
  /** Share of a rally's frames that must be real detections (not bridged). */
  minVisibleShare: number
  /** Two hits are at least this far apart (s). */
  minHitGapSeconds: number
  /** Relative velocity change |v⁺ − v⁻| / max(|v⁺|, |v⁻|) that makes a kink a hit (0 … 2). */
  kinkThreshold: number
  /** One-sided fit window for velocities around a candidate hit (s). */
  kinkWindowSeconds: number
  /** Longest stretch of flight after a hit fed to the 3-D fit (s). */
  fitWindowSeconds: number
}

export const DEFAULT_OPTIONS: AnalysisOptions = {
  maxGapSeconds: 0.2,
  stillHeightsPerSecond: 0.06,
  maxOcclusionSeconds: 1,
  minRestSeconds: 0.1,
  maxOffFrameSeconds: 3,
  edgeMargin: 0.12,
  maxStillSeconds: 0.15,
  minRallySeconds: 0.4,
  minVisibleShare: 0.5,
  minHitGapSeconds: 0.15,
  kinkThreshold: 0.6,
  kinkWindowSeconds: 0.13,
  fitWindowSeconds: 2.5
}

export function frames(seconds: number, fps: number, min = 1): number {
  return Math.max(min, Math.round(seconds * fps))
}
