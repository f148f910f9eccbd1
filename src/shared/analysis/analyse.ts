// Runs everywhere (shared): the whole analysis of one clip's track: rallies, hits, the side of each hit, speeds
// by both estimators, landing points and a heatmap. Pure and synchronous, so the CLI and the renderer's store
// run the same code on the same arrays.
import type { Calibration } from './calibration'
import { insideCourt, sideOfCourtY, type Point2 } from './court'
import { fitFlight, type FlightFit, type Observation } from './flight-fit'
import { courtHeatmap } from './heatmap'
import { applyHomography } from './homography'
import { applyHitEdits, NO_HIT_EDITS, type HitEdits } from './hit-edits'
import { estimateNoise, findHits, type RawHit } from './hits'
import { measureMotion, type Motion } from './motion'
import { pictureOf, pictureTimeline, pictureTrack, videoFrameOf, type PictureTimeline } from './picture-time'
import { DEFAULT_OPTIONS, frames, type AnalysisOptions } from './options'
import { courtPlaneSpeed } from './plane-speed'
import { segmentRallies, type RallySpan } from './rallies'
import { decideSides, type SideEvidence } from './sides'
import { speedMethodFor } from './speed-method'
import type { Track } from './track'
import type { HitResult, LandingResult, MatchAnalysis, RallyResult } from './types'

export interface AnalyseInput {
  track: Track
  imageSize: { width: number; height: number }
  calibration?: Calibration | null
  options?: Partial<AnalysisOptions>
  /** A person's corrections to the detected hits. */
  hitEdits?: HitEdits
  /**
   * Frames that repeat the previous frame's picture (a frame-rate conversion; the backend finds them in the
   * video). Their labels carry no new position: the analysis runs on the pictures and their true time step
   * (picture-time.ts) and reports video frames.
   */
  repeatedFrames?: readonly number[]
}

/** Frames in, frames out: the video's when the analysis runs on pictures, unchanged otherwise. */
interface FrameMap {
  toVideo: (p: number) => number
  videoFps: number
}

/** The real detections in (from, to) (exclusive), in time order, as observations. */
function observations(m: Motion, from: number, to: number): Observation[] {
  const out: Observation[] = []
  for (let k = Math.max(0, Math.floor(from) + 1); k < to && k < m.visible.length; k++) {
    if (m.visible[k]) out.push({ t: k / m.fps, px: [m.x[k]!, m.y[k]!] })
  }
  return out
}

const round = (x: number, d = 3): number => Math.round(x * 10 ** d) / 10 ** d

/** Speed estimates and 3-D contact of one hit. */
function measureHit(
  m: Motion,
  hit: RawHit,
  prev: number,
  next: number,
  o: AnalysisOptions,
  cal: Calibration | null | undefined,
  noise: number
): { fit: FlightFit | null; plane: number | null; after: Observation[] } {
  const fps = m.fps
  // The whole flight to the next hit (or the landing): its curvature under gravity and drag is what fixes the
  // depth, so every frame counts.
  const after = observations(m, hit.frame, Math.min(next - 0.5, hit.frame + o.fitWindowSeconds * fps + 1))
  // Frames before the hit: the incoming flight (or the held shuttle), never across the previous hit.
  const beforeFrom = Math.max(prev + 0.5, hit.frame - frames(0.15, fps, 3) - 1)
  const before = hit.kind === 'first-seen' ? [] : observations(m, beforeFrom, hit.frame)
  const tau = hit.frame / fps
  const plane = cal ? courtPlaneSpeed(cal.imageToCourt, tau, hit.image, after) : null
  let fit: FlightFit | null = null
  if (cal?.camera) {
    fit = fitFlight({
      camera: cal.camera,
      tau,
      contactPx: hit.image,
      after,
      before,
      beforeStill: hit.kind === 'serve'
    })
    // A fit that does not follow the track, or puts the contact under the floor or far overhead, is dropped.
    const tolerance = Math.max(1.5, 4 * noise) * Math.max(1, cal.imageSize.height / 720)
    if (fit && (fit.rmsPx > tolerance || fit.contact[2] < 0 || fit.contact[2] > 4.5 || fit.speedKmh > 520))
      fit = null
  }
  return { fit, plane, after }
}

function landingOf(span: RallySpan, map: FrameMap, cal: Calibration | null | undefined): LandingResult {
  const l = span.landing
  const c = cal ? applyHomography(cal.imageToCourt, l.image) : null
  const frame = map.toVideo(l.frame)
  return {
    frame: Math.round(frame),
    time: round(frame / map.videoFps, 4),
    x: round(l.image[0]),
    y: round(l.image[1]),
    // Only a shuttle at rest is known to be on the floor; a last sighting may be in the air.
    courtX: c && l.atRest ? round(c[0]) : null,
    courtY: c && l.atRest ? round(c[1]) : null,
    atRest: l.atRest,
    side: c ? sideOfCourtY(c[1]) : null,
    // In or out only means something where the shuttle came down; a last sighting may be in the air.
    inCourt: c && l.atRest ? insideCourt(c) : null
  }
}

/**
 * The edits (video frames) on the picture timeline: an added frame becomes the picture it shows; a removal names
 * the detected hit whose reported video frame it is.
 */
function editsOnPictures(e: HitEdits, tl: PictureTimeline | null, detected: readonly RawHit[]): HitEdits {
  if (!tl) return e
  const removed = detected
    .filter((h) => e.removed.includes(Math.round(videoFrameOf(tl, h.frame))))
    .map((h) => Math.round(h.frame))
  return { added: e.added.map((f) => pictureOf(tl, f)), removed }
}

export function analyseTrack(input: AnalyseInput): MatchAnalysis {
  const o: AnalysisOptions = { ...DEFAULT_OPTIONS, ...input.options }
  const { imageSize } = input
  const tl = pictureTimeline(input.track.visible.length, input.track.fps, input.repeatedFrames)
  const track = tl ? pictureTrack(input.track, tl) : input.track
  const map: FrameMap = { toVideo: (p) => (tl ? videoFrameOf(tl, p) : p), videoFps: input.track.fps }
  const cal = input.calibration ?? null
  const fps = track.fps
  const m = measureMotion(track, frames(o.maxGapSeconds, fps), Math.max(3, 0.02 * imageSize.height))
  const noise = estimateNoise(m)
  const spans = segmentRallies(m, o, imageSize)
  const edits = input.hitEdits ?? NO_HIT_EDITS
  const speedMethod = speedMethodFor(cal !== null, !!cal?.camera)
  const rallies: RallyResult[] = []
  spans.forEach((span, r) => {
    const first = Math.min(span.start, Math.floor(span.onset.frame))
    const detected = findHits(m, span, o, imageSize.height, noise)
    const raw = applyHitEdits(detected, editsOnPictures(edits, tl, detected), m, first, span.landing.frame)
    // A hit added by hand stays on the frame it was added at.
    const hitFrame = (h: RawHit): number =>
      h.edited && tl
        ? (edits.added.find((f) => pictureOf(tl, f) === h.frame) ?? map.toVideo(h.frame))
        : map.toVideo(h.frame)
    const measured = raw.map((h, i) =>
      measureHit(m, h, raw[i - 1]?.frame ?? -Infinity, raw[i + 1]?.frame ?? span.landing.frame, o, cal, noise)
    )
    const landing = landingOf(span, map, cal)
    const evidence: SideEvidence[] = measured.map((x) => {
      const a = x.after
      const vy =
        a.length >= 2
          ? (a[Math.min(2, a.length - 1)]!.px[1] - a[0]!.px[1]) / (a[Math.min(2, a.length - 1)]!.t - a[0]!.t)
          : null
      return { fit: x.fit ? sideOfCourtY(x.fit.contact[1]) : null, imageVy: vy }
    })
    const sides = decideSides(evidence, landing.atRest ? landing.side : null)
    const hits: HitResult[] = raw.map((h, i) => {
      const { fit, plane } = measured[i]!
      // One definition for the whole analysis: no figure rather than one measured another way.
      const speed =
        speedMethod?.method === 'height-corrected'
          ? (fit?.speedKmh ?? null)
          : speedMethod?.method === 'court-plane'
            ? plane
            : null
      const frame = hitFrame(h)
      return {
        rally: r,
        index: i,
        frame: Math.round(frame),
        time: round(frame / map.videoFps, 4),
        x: round(h.image[0]),
        y: round(h.image[1]),
        courtX: fit ? round(fit.contact[0]) : null,
        courtY: fit ? round(fit.contact[1]) : null,
        height: fit ? round(fit.contact[2]) : null,
        speedKmh: speed === null ? null : round(speed, 1),
        assumption: speed === null ? null : speedMethod!.method,
        speeds: {
          courtPlane: plane === null ? null : round(plane, 1),
          heightCorrected: fit ? round(fit.speedKmh, 1) : null
        },
        fitRmsPx: fit ? round(fit.rmsPx, 2) : null,
        playerSide: sides[i]!.side,
        sideFrom: sides[i]!.from,
        kind: h.kind,
        score: round(h.score, 2),
        edited: !!h.edited
      }
    })
    const start = Math.max(0, map.toVideo(span.onset.frame))
    rallies.push({
      index: r,
      startFrame: Math.round(start),
      endFrame: landing.frame,
      startTime: round(start / map.videoFps, 4),
      endTime: landing.time,
      shotCount: hits.length,
      hits,
      landing,
      visibleShare: round(span.visibleShare, 3)
    })
  })
  // Only points known to be on the floor go on the court map: the landings where the shuttle came to rest.
  const floorPoints: Point2[] = rallies.filter((r) => r.landing.atRest).map((r) => [r.landing.x, r.landing.y])
  return {
    format: 'shuttle-studio-analysis',
    version: 1,
    fps: map.videoFps,
    frameCount: input.track.visible.length,
    imageSize,
    calibrated: cal !== null,
    camera: cal?.camera
      ? {
          source: cal.camera.source,
          focalPx: round(cal.camera.focalPx, 2),
          position: cal.camera.position.map((x) => round(x)) as [number, number, number],
          postErrorPx: cal.postError === null ? null : round(cal.postError, 2)
        }
      : null,
    noisePx: round(noise, 2),
    speed: speedMethod,
    hitEdits: { added: [...edits.added], removed: [...edits.removed] },
    rallies,
    hits: rallies.flatMap((r) => r.hits),
    landings: rallies.map((r) => r.landing),
    heatmap: cal ? courtHeatmap(cal.imageToCourt, floorPoints) : null,
    assumptions: assumptionsFor(cal)
  }
}

function assumptionsFor(cal: Calibration | null): string[] {
  const out = [
    'Court metres: origin at the near-left outer corner, x across (0-6.1), y along (0-13.4, net at 6.7), z up.',
    'A hit is a kink of the image path (velocity jump) or, for the first stroke, the moment the shuttle leaves the hand.'
  ]
  if (!cal)
    out.push(
      'No calibration: no court positions, speeds or landing points; sides from the image direction only.'
    )
  else {
    out.push(
      'court-plane speeds map image positions after the hit to the floor: too high for a shuttle above the floor, too low because drag has already slowed it; a rough figure only.',
      'Landing points are the resting position mapped to the floor; a shuttle last seen in the air has no floor position, and hit positions come from the 3-D fit only (an airborne image point mapped to the floor lands far beyond the player).',
      `Every speed in a list is one definition: ${speedMethodFor(true, !!cal.camera)!.label}.`
    )
    if (cal.camera)
      out.push(
        `height-corrected speeds fit gravity + drag (terminal velocity 6.8 m/s) through a pinhole camera (square pixels, principal point at the image centre, no distortion; ${cal.camera.source === 'homography+posts' ? 'focal length from the net posts' : cal.camera.source === 'given' ? 'camera given' : 'focal length from the court alone, less certain'}) and report the launch speed at the contact.`
      )
  }
  return out
}
