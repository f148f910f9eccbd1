// Runs everywhere (shared): court calibration from the user's clicks: the four outer corners (and optionally the
// net posts' tops, or more known floor points) → the court↔image homography, its reprojection error, a camera
// estimate, and the court model's lines projected back over the frame so the user can see the fit.
import { estimateCamera, projectPoint, refineCamera, type CameraModel } from './camera'
import { courtCorners, courtLines, netPostTops, type CourtLine, type Point2 } from './court'
import { applyHomography, fitHomography, invertHomography, reprojectionError, type Mat3 } from './homography'

export interface ImageSize {
  width: number
  height: number
}

export interface CalibrationInput {
  imageSize: ImageSize
  /** Image pixels of near-left, near-right, far-right, far-left outer corners (court.ts CORNER_NAMES). */
  corners: Point2[]
  /** Image pixels of the left and right net posts' tops, when clicked. */
  posts?: Point2[] | null
  /** More floor correspondences (court metres → image pixels), e.g. service-line crossings. */
  extra?: { court: Point2; image: Point2 }[]
}

export interface Calibration {
  imageSize: ImageSize
  corners: Point2[]
  posts: Point2[] | null
  courtToImage: Mat3
  imageToCourt: Mat3
  /**
   * Reprojection of the floor points (px). Exactly 0 with four corners only (four points fix a homography); with
   * the posts, the error of the one camera fitted to all six clicks.
   */
  floorError: { rms: number; max: number }
  /** RMS reprojection error of the posts' tops through the camera (px); null without posts. */
  postError: number | null
  camera: CameraModel | null
}

export class CalibrationError extends Error {
  override name = 'CalibrationError'
}

function finitePoint(p: unknown): p is Point2 {
  return Array.isArray(p) && p.length === 2 && p.every((x) => typeof x === 'number' && Number.isFinite(x))
}

export function calibrate(input: CalibrationInput): Calibration {
  if (input.corners.length !== 4 || !input.corners.every(finitePoint))
    throw new CalibrationError(
      'click the four outer court corners: near-left, near-right, far-right, far-left'
    )
  const posts = input.posts && input.posts.length > 0 ? input.posts : null
  if (posts && (posts.length !== 2 || !posts.every(finitePoint)))
    throw new CalibrationError('the net posts need both tops (left, then right), or none')
  const court = [...courtCorners(), ...(input.extra ?? []).map((e) => e.court)]
  const image = [...input.corners, ...(input.extra ?? []).map((e) => e.image)]
  let H: Mat3
  try {
    H = fitHomography(court, image)
  } catch (e) {
    throw new CalibrationError(`the corners do not make a court: ${(e as Error).message}; click them again`)
  }
  const est = estimateCamera(H, input.imageSize, posts ? { world: netPostTops(), image: posts } : undefined)
  let camera = est?.camera ?? null
  let postError = est?.postError ?? null
  if (camera && posts) {
    // With the posts there are more clicks than a homography needs: one camera fitted to all of them, and the
    // floor mapping taken from it, so that click errors are shared and the reprojection error means something.
    const world = [...courtCorners().map(([x, y]) => [x, y, 0] as [number, number, number]), ...netPostTops()]
    camera = refineCamera(camera, world, [...input.corners, ...posts])
    H = floorHomographyOf(camera)
    postError = rms(netPostTops().map((p, i) => distance(projectPoint(camera!, p), posts[i]!)))
  }
  const err = reprojectionError(H, court, image)
  return {
    imageSize: input.imageSize,
    corners: input.corners,
    posts,
    courtToImage: H,
    imageToCourt: invertHomography(H),
    floorError: { rms: err.rms, max: err.max },
    postError,
    camera
  }
}

/** A calibration made from a known camera (the synthetic generator's truth, or a saved camera). */
/** The camera's court-floor (z = 0) homography: columns 1, 2 and 4 of P. */
export function floorHomographyOf(camera: CameraModel): Mat3 {
  const P = camera.P
  return [P[0]!, P[1]!, P[3]!, P[4]!, P[5]!, P[7]!, P[8]!, P[9]!, P[11]!].map((x) => x / P[11]!)
}

function distance(a: Point2 | null, b: Point2): number {
  return a ? Math.hypot(a[0] - b[0], a[1] - b[1]) : Infinity
}

function rms(d: number[]): number {
  return Math.sqrt(d.reduce((s, x) => s + x * x, 0) / Math.max(1, d.length))
}

export function calibrationFromCamera(camera: CameraModel, imageSize: ImageSize): Calibration {
  const H = floorHomographyOf(camera)
  const corners = courtCorners().map((c) => applyHomography(H, c)!)
  const posts = netPostTops().map((p) => projectPoint(camera, p)!)
  return {
    imageSize,
    corners,
    posts,
    courtToImage: H,
    imageToCourt: invertHomography(H),
    floorError: { rms: 0, max: 0 },
    postError: 0,
    camera
  }
}

export function imageToCourt(cal: Calibration, p: Point2): Point2 | null {
  return applyHomography(cal.imageToCourt, p)
}

export function courtToImage(cal: Calibration, p: Point2): Point2 | null {
  return applyHomography(cal.courtToImage, p)
}

export interface ImageSegment {
  kind: CourtLine['kind'] | 'post' | 'net-top'
  a: Point2
  b: Point2
}

/** The court model drawn in the image: floor lines through H; posts and the net's top through the camera. */
export function courtOverlay(cal: Calibration): ImageSegment[] {
  const out: ImageSegment[] = []
  for (const l of courtLines()) {
    const a = courtToImage(cal, l.a)
    const b = courtToImage(cal, l.b)
    if (a && b) out.push({ kind: l.kind, a, b })
  }
  const cam = cal.camera
  if (cam) {
    const tops = netPostTops().map((p) => projectPoint(cam, p))
    const feet = netPostTops().map((p) => projectPoint(cam, [p[0], p[1], 0]))
    for (let i = 0; i < 2; i++) if (tops[i] && feet[i]) out.push({ kind: 'post', a: feet[i]!, b: tops[i]! })
    if (tops[0] && tops[1]) out.push({ kind: 'net-top', a: tops[0], b: tops[1] })
  }
  return out
}
