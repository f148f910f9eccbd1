// Runs everywhere (shared): what a match analysis returns — rallies, hits with speeds and the assumption each
// speed rests on, landing points — as plain JSON-able data for the CLI's files, the report and the studio.
import type { Point2, Point3, Side } from './court'
import type { SpeedMethod } from './speed-method'

/**
 * How a speed was measured:
 * - 'court-plane': image positions just after the hit mapped to the floor by the homography; biased by the
 *   shuttle's height (it is above the floor) and by drag (it has slowed since the contact);
 * - 'height-corrected': the 3-D flight model (gravity + drag) fitted through the calibrated camera and carried
 *   back to the contact: the launch speed.
 */
export type SpeedAssumption = 'court-plane' | 'height-corrected'

export interface HitResult {
  rally: number
  /** Index of the stroke within its rally (0 = the serve or the first stroke seen). */
  index: number
  frame: number
  /** Seconds from frame 0. */
  time: number
  /** Contact in video pixels. */
  x: number
  y: number
  /**
   * Court position under the contact (m, court.ts), from the 3-D fit only: the contact is in the air, so its image
   * point mapped to the floor would land far beyond it.
   */
  courtX: number | null
  courtY: number | null
  /** Contact height (m) from the 3-D fit. */
  height: number | null
  /** The analysis' one speed definition (MatchAnalysis.speed); null where it has no figure for this hit. */
  speedKmh: number | null
  /** The method of speedKmh (the same for every hit of an analysis), null without a figure. */
  assumption: SpeedAssumption | null
  /** Both estimators for the record (CSV detail); lists and charts show speedKmh only. */
  speeds: { courtPlane: number | null; heightCorrected: number | null }
  /** RMS image residual of the 3-D fit (px). */
  fitRmsPx: number | null
  playerSide: Side | null
  /** How the side was decided. */
  sideFrom: 'flight-fit' | 'alternation' | 'image-direction' | null
  kind: 'serve' | 'first-seen' | 'stroke'
  /** Relative velocity change at the kink (0 … 2). */
  score: number
  /** Added by hand rather than detected. */
  edited: boolean
}

export interface LandingResult {
  frame: number
  time: number
  x: number
  y: number
  /** On the floor: only for a shuttle at rest (a last sighting may be in the air). */
  courtX: number | null
  courtY: number | null
  /** The shuttle landed there and came to rest (true: the touch-down point, before any skid) or was last seen there (false). */
  atRest: boolean
  side: Side | null
  /** Inside the court's outer lines; null without calibration or when the shuttle was not seen to land. */
  inCourt: boolean | null
}

export interface RallyResult {
  index: number
  startFrame: number
  endFrame: number
  startTime: number
  endTime: number
  shotCount: number
  hits: HitResult[]
  landing: LandingResult
  visibleShare: number
}

export interface HeatmapGrid {
  /** Court metres covered, including a margin around the court. */
  x0: number
  y0: number
  cell: number
  cols: number
  rows: number
  /** Row-major counts of landings (shuttle at rest on the floor) in each cell (rows along y). */
  counts: number[]
}

export interface MatchAnalysis {
  format: 'shuttle-studio-analysis'
  version: 1
  fps: number
  frameCount: number
  imageSize: { width: number; height: number }
  calibrated: boolean
  camera: { source: string; focalPx: number; position: Point3; postErrorPx: number | null } | null
  /** Label noise estimated from the track (px per axis). */
  noisePx: number
  /** The one speed definition every hit's speedKmh uses; null without a calibration. */
  speed: SpeedMethod | null
  /** Hand corrections applied to the detected hits (frames). */
  hitEdits: { added: number[]; removed: number[] }
  rallies: RallyResult[]
  hits: HitResult[]
  landings: LandingResult[]
  heatmap: HeatmapGrid | null
  /** Plain-language notes on what the figures assume. */
  assumptions: string[]
}

export type { Point2 }
