// Runs everywhere (shared): a pinhole camera in court coordinates (court.ts), recovered from the court-plane
// homography. Assumptions (stated in the result): square pixels, no skew, no lens distortion, principal point at
// the image centre. With those, the homography alone fixes the focal length (two orthogonality constraints);
// the net posts' tops, 1.55 m above the floor, then re-pick the focal length so that the vertical is right too,
// which is what turns image motion into metres above the floor.
import { cross, invert3, mul3, norm, symmetricEigen } from './linalg'
import { levenbergMarquardt } from './lm'
import type { Point2, Point3 } from './court'

export interface CameraModel {
  /** 3×4 projection, row-major: (u, v, w) = P·(x, y, z, 1), pixels = (u/w, v/w). */
  P: number[]
  focalPx: number
  principalPoint: Point2
  /** Camera centre in court metres. */
  position: Point3
  /** World-to-camera rotation, row-major (camera x right, y down, z forward). */
  R: number[]
  source: 'homography' | 'homography+posts' | 'given'
}

export function projectPoint(cam: CameraModel, p: readonly number[]): Point2 | null {
  const P = cam.P
  const w = P[8]! * p[0]! + P[9]! * p[1]! + P[10]! * p[2]! + P[11]!
  if (w <= 1e-9) return null
  return [
    (P[0]! * p[0]! + P[1]! * p[1]! + P[2]! * p[2]! + P[3]!) / w,
    (P[4]! * p[0]! + P[5]! * p[1]! + P[6]! * p[2]! + P[7]!) / w
  ]
}

/** Depth along the optical axis (m); positive in front of the camera. */
export function depthOf(cam: CameraModel, p: readonly number[]): number {
  const P = cam.P
  return P[8]! * p[0]! + P[9]! * p[1]! + P[10]! * p[2]! + P[11]!
}

/** Ray through a pixel: the camera centre and a direction in court coordinates. */
export function rayThrough(cam: CameraModel, px: Point2): { origin: Point3; dir: Point3 } {
  const R = cam.R
  const a = (px[0] - cam.principalPoint[0]) / cam.focalPx
  const b = (px[1] - cam.principalPoint[1]) / cam.focalPx
  const dir: Point3 = [
    R[0]! * a + R[3]! * b + R[6]!,
    R[1]! * a + R[4]! * b + R[7]!,
    R[2]! * a + R[5]! * b + R[8]!
  ]
  return { origin: cam.position, dir }
}

/** Where the ray through a pixel meets the horizontal plane z = h; null when it never does in front. */
export function pixelToPlaneZ(cam: CameraModel, px: Point2, h: number): Point3 | null {
  const { origin, dir } = rayThrough(cam, px)
  if (Math.abs(dir[2]) < 1e-9) return null
  const s = (h - origin[2]) / dir[2]
  if (s <= 0) return null
  return [origin[0] + s * dir[0], origin[1] + s * dir[1], h]
}

/** Pixels per metre of height at a court position (how tall 1 m stands there in the image). */
export function verticalPixelsPerMetre(cam: CameraModel, x: number, y: number, z = 0): number | null {
  const a = projectPoint(cam, [x, y, z])
  const b = projectPoint(cam, [x, y, z + 1])
  return a && b ? Math.hypot(b[0] - a[0], b[1] - a[1]) : null
}

function assemble(
  f: number,
  pp: Point2,
  R: number[],
  t: number[],
  source: CameraModel['source']
): CameraModel {
  const K = [f, 0, pp[0], 0, f, pp[1], 0, 0, 1]
  const P: number[] = []
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 4; c++) {
      let s = 0
      for (let k = 0; k < 3; k++) s += K[r * 3 + k]! * (c < 3 ? R[k * 3 + c]! : t[k]!)
      P.push(s)
    }
  // Centre C = -Rᵀt.
  const position: Point3 = [0, 1, 2].map(
    (i) => -(R[i]! * t[0]! + R[3 + i]! * t[1]! + R[6 + i]! * t[2]!)
  ) as Point3
  return { P, focalPx: f, principalPoint: pp, position, R, source }
}

/** The rotation nearest to M (polar decomposition M (MᵀM)^-1/2). */
function nearestRotation(M: number[]): number[] {
  const MtM: number[] = []
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) MtM.push(M[i]! * M[j]! + M[3 + i]! * M[3 + j]! + M[6 + i]! * M[6 + j]!)
  const { values, vectors } = symmetricEigen(MtM, 3)
  const inv: number[] = new Array<number>(9).fill(0)
  for (let k = 0; k < 3; k++) {
    const s = 1 / Math.sqrt(Math.max(values[k]!, 1e-300))
    const v = vectors[k]!
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) inv[i * 3 + j]! += s * v[i]! * v[j]!
  }
  return mul3(M, inv)
}

/** The pose that, with focal length f, reproduces the court→image homography H. */
export function cameraFromHomographyAndFocal(
  H: readonly number[],
  f: number,
  pp: Point2,
  source: CameraModel['source'] = 'homography'
): CameraModel | null {
  const Kinv = invert3([f, 0, pp[0], 0, f, pp[1], 0, 0, 1])!
  const M = mul3(Kinv, H)
  const m1 = [M[0]!, M[3]!, M[6]!]
  const m2 = [M[1]!, M[4]!, M[7]!]
  const m3 = [M[2]!, M[5]!, M[8]!]
  let lambda = 2 / (norm(m1) + norm(m2))
  // The court must lie in front of the camera: the origin's depth (t_z) is positive.
  if (m3[2]! * lambda < 0) lambda = -lambda
  const r1 = m1.map((x) => x * lambda)
  const r2 = m2.map((x) => x * lambda)
  const r3 = cross(r1, r2)
  const Rraw = [r1[0]!, r2[0]!, r3[0], r1[1]!, r2[1]!, r3[1], r1[2]!, r2[2]!, r3[2]]
  const R = nearestRotation(Rraw)
  const t = m3.map((x) => x * lambda)
  if (!R.every(Number.isFinite) || !t.every(Number.isFinite)) return null
  return assemble(f, pp, R, t, source)
}

/**
 * Focal length from the two orthogonality constraints on K⁻¹H (columns r1 ⟂ r2, |r1| = |r2|), least squares in
 * 1/f²; null when the view is too frontal for the constraints to say anything.
 */
export function focalFromHomography(H: readonly number[], pp: Point2): number | null {
  // Move the principal point to the origin: H' = T·H.
  const T = [1, 0, -pp[0], 0, 1, -pp[1], 0, 0, 1]
  const h = mul3(T, H)
  const [a1, a2, b1, b2, c1, c2] = [h[0]!, h[1]!, h[3]!, h[4]!, h[6]!, h[7]!]
  const eq: [number, number][] = [
    [a1 * a2 + b1 * b2, c1 * c2],
    [a1 * a1 + b1 * b1 - a2 * a2 - b2 * b2, c1 * c1 - c2 * c2]
  ]
  let num = 0
  let den = 0
  for (const [al, be] of eq) {
    num += al * be
    den += al * al
  }
  if (den === 0) return null
  const x = -num / den
  return x > 0 ? 1 / Math.sqrt(x) : null
}

export interface CameraEstimate {
  camera: CameraModel
  /** RMS reprojection error (px) of the posts' tops, when they were given. */
  postError: number | null
}

/**
 * Camera from the court→image homography and the image size; with the posts' tops (image pixels) the focal
 * length is searched so that their reprojection error is least (the pose follows from H for each focal length).
 */
export function estimateCamera(
  H: readonly number[],
  size: { width: number; height: number },
  posts?: { world: readonly Point3[]; image: readonly Point2[] }
): CameraEstimate | null {
  const pp: Point2 = [(size.width - 1) / 2, (size.height - 1) / 2]
  const f0 = focalFromHomography(H, pp) ?? size.width
  if (!posts || posts.image.length === 0) {
    const camera = cameraFromHomographyAndFocal(H, f0, pp)
    return camera ? { camera, postError: null } : null
  }
  const err = (f: number): number => {
    const cam = cameraFromHomographyAndFocal(H, f, pp, 'homography+posts')
    if (!cam) return Infinity
    let s = 0
    posts.world.forEach((w, i) => {
      const q = projectPoint(cam, w)
      const d = q ? Math.hypot(q[0] - posts.image[i]![0], q[1] - posts.image[i]![1]) : 1e6
      s += d * d
    })
    return Math.sqrt(s / posts.world.length)
  }
  // Coarse scan in log f (the homography's estimate may be far off when the clicks are noisy), then golden section.
  let best = f0
  let bestE = err(f0)
  for (let k = -40; k <= 40; k++) {
    const f = f0 * Math.exp(k * 0.04)
    const e = err(f)
    if (e < bestE) {
      bestE = e
      best = f
    }
  }
  let lo = Math.log(best) - 0.04
  let hi = Math.log(best) + 0.04
  const g = (Math.sqrt(5) - 1) / 2
  for (let i = 0; i < 40; i++) {
    const m1 = hi - g * (hi - lo)
    const m2 = lo + g * (hi - lo)
    if (err(Math.exp(m1)) < err(Math.exp(m2))) hi = m2
    else lo = m1
  }
  const f = Math.exp((lo + hi) / 2)
  const camera = cameraFromHomographyAndFocal(H, f, pp, 'homography+posts')
  return camera ? { camera, postError: err(f) } : null
}

/** Rotation matrix of a rotation vector (Rodrigues). */
function rodrigues(w: readonly number[]): number[] {
  const th = Math.hypot(w[0]!, w[1]!, w[2]!)
  if (th < 1e-12) return [1, 0, 0, 0, 1, 0, 0, 0, 1]
  const [x, y, z] = [w[0]! / th, w[1]! / th, w[2]! / th]
  const c = Math.cos(th)
  const s = Math.sin(th)
  const C = 1 - c
  return [
    c + x * x * C,
    x * y * C - z * s,
    x * z * C + y * s,
    y * x * C + z * s,
    c + y * y * C,
    y * z * C - x * s,
    z * x * C - y * s,
    z * y * C + x * s,
    c + z * z * C
  ]
}

/**
 * Refines focal length, orientation and position together so that all clicked points (floor corners and post
 * tops) reproject as well as possible: noisy clicks then share the error instead of the four corners absorbing it
 * all into the homography.
 */
export function refineCamera(
  cam: CameraModel,
  world: readonly Point3[],
  image: readonly Point2[]
): CameraModel {
  const pp = cam.principalPoint
  const make = (p: readonly number[]): CameraModel => {
    const R = mul3(rodrigues([p[1]!, p[2]!, p[3]!]), cam.R)
    const C = [p[4]!, p[5]!, p[6]!]
    const t = [0, 1, 2].map((i) => -(R[i * 3]! * C[0]! + R[i * 3 + 1]! * C[1]! + R[i * 3 + 2]! * C[2]!))
    return assemble(Math.exp(p[0]!), pp, R, t, cam.source)
  }
  const res = (p: readonly number[]): number[] | null => {
    const c = make(p)
    const r: number[] = []
    for (let i = 0; i < world.length; i++) {
      const q = projectPoint(c, world[i]!)
      if (!q) return null
      r.push(q[0] - image[i]![0], q[1] - image[i]![1])
    }
    return r
  }
  const fit = levenbergMarquardt([Math.log(cam.focalPx), 0, 0, 0, ...cam.position], res, 50)
  return fit ? make(fit.p) : cam
}

/** A camera from a known 3×4 projection (for example the synthetic generator's truth), decomposed by RQ. */
export function cameraFromProjection(P: readonly number[]): CameraModel {
  const M = [P[0]!, P[1]!, P[2]!, P[4]!, P[5]!, P[6]!, P[8]!, P[9]!, P[10]!]
  // Normalise so the third row of M is a unit vector with positive depth orientation.
  const s = norm([M[6]!, M[7]!, M[8]!])
  const Pn = P.map((x) => x / s)
  const Mn = M.map((x) => x / s)
  const r3 = [Mn[6]!, Mn[7]!, Mn[8]!]
  const cx = Mn[0]! * r3[0]! + Mn[1]! * r3[1]! + Mn[2]! * r3[2]!
  const cy = Mn[3]! * r3[0]! + Mn[4]! * r3[1]! + Mn[5]! * r3[2]!
  const row1 = [Mn[0]! - cx * r3[0]!, Mn[1]! - cx * r3[1]!, Mn[2]! - cx * r3[2]!]
  const f = norm(row1)
  const r1 = row1.map((x) => x / f)
  const r2 = [Mn[3]! - cy * r3[0]!, Mn[4]! - cy * r3[1]!, Mn[5]! - cy * r3[2]!].map((x) => x / f)
  const R = [...r1, ...r2, ...r3]
  const t = [(Pn[3]! - cx * Pn[11]!) / f, (Pn[7]! - cy * Pn[11]!) / f, Pn[11]!]
  const cam = assemble(f, [cx, cy], R, t, 'given')
  return cam
}
