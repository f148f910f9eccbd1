// Runs in the backend (plain Node): the broadcast camera: a pinhole behind and above the near baseline, its pose
// drawn from the seed, and the projections (3-D point and court-plane homography) that labels and tests rely on.
import { COURT_HALF_LENGTH, COURT_HALF_WIDTH, courtCorners } from './court'
import type { Rng } from './prng'

export interface Camera {
  width: number
  height: number
  /** Focal length in pixels; square pixels, principal point at the image centre. */
  f: number
  cx: number
  cy: number
  /** Camera centre in court coordinates (m). */
  position: [number, number, number]
  /** World-to-camera rotation, row-major; camera axes are x right, y down, z forward. */
  R: number[]
}

export interface Projected {
  u: number
  v: number
  /** Distance along the optical axis (m); <= 0 means behind the camera. */
  depth: number
}

export function project(cam: Camera, x: number, y: number, z: number): Projected {
  const R = cam.R
  const dx = x - cam.position[0]
  const dy = y - cam.position[1]
  const dz = z - cam.position[2]
  const xc = R[0]! * dx + R[1]! * dy + R[2]! * dz
  const yc = R[3]! * dx + R[4]! * dy + R[5]! * dz
  const zc = R[6]! * dx + R[7]! * dy + R[8]! * dz
  return { u: cam.cx + (cam.f * xc) / zc, v: cam.cy + (cam.f * yc) / zc, depth: zc }
}

/** The ray through pixel (u, v) in court coordinates (not normalised). */
export function rayThrough(cam: Camera, u: number, v: number): [number, number, number] {
  const R = cam.R
  const a = (u - cam.cx) / cam.f
  const b = (v - cam.cy) / cam.f
  // Camera-to-world is R transposed.
  return [R[0]! * a + R[3]! * b + R[6]!, R[1]! * a + R[4]! * b + R[7]!, R[2]! * a + R[5]! * b + R[8]!]
}

function normalize(v: [number, number, number]): [number, number, number] {
  const n = Math.hypot(v[0], v[1], v[2])
  return [v[0] / n, v[1] / n, v[2] / n]
}

function cross(a: number[], b: number[]): [number, number, number] {
  return [a[1]! * b[2]! - a[2]! * b[1]!, a[2]! * b[0]! - a[0]! * b[2]!, a[0]! * b[1]! - a[1]! * b[0]!]
}

/** Rotation looking from `position` along `forward`, with a roll about the optical axis. */
function lookRotation(forward: [number, number, number], roll: number): number[] {
  const fw = normalize(forward)
  let right = normalize(cross(fw, [0, 0, 1]))
  let down = cross(fw, right)
  const c = Math.cos(roll)
  const s = Math.sin(roll)
  const r2: [number, number, number] = [
    c * right[0] + s * down[0],
    c * right[1] + s * down[1],
    c * right[2] + s * down[2]
  ]
  down = [-s * right[0] + c * down[0], -s * right[1] + c * down[1], -s * right[2] + c * down[2]]
  right = r2
  return [...right, ...down, ...fw]
}

/** 3x3 homography (row-major) taking court-floor metres (x, y, 1) to image pixels, without shake. */
export function floorHomography(cam: Camera): number[] {
  const R = cam.R
  const [px, py, pz] = cam.position
  const t = [
    -(R[0]! * px + R[1]! * py + R[2]! * pz),
    -(R[3]! * px + R[4]! * py + R[5]! * pz),
    -(R[6]! * px + R[7]! * py + R[8]! * pz)
  ]
  // H = K [r1 r2 t] where r1, r2 are the first two columns of R.
  const cols = [
    [R[0]!, R[3]!, R[6]!],
    [R[1]!, R[4]!, R[7]!],
    [t[0]!, t[1]!, t[2]!]
  ]
  const H: number[] = []
  for (let row = 0; row < 3; row++) {
    for (let col = 0; col < 3; col++) {
      const c = cols[col]!
      if (row === 0) H.push(cam.f * c[0]! + cam.cx * c[2]!)
      else if (row === 1) H.push(cam.f * c[1]! + cam.cy * c[2]!)
      else H.push(c[2]!)
    }
  }
  const s = H[8]!
  return H.map((h) => h / s)
}

/**
 * Draws a plausible broadcast pose: 6-10 m high, 5-12 m behind the near baseline, aimed so the whole court and the
 * far players' heads are in view, then a little pan and roll jitter. Works in normalised image units first so the
 * pose does not depend on the output size; only f, cx, cy scale with it.
 */
export function chooseCamera(rng: Rng, width: number, height: number): Camera {
  const h = rng.range(6, 10)
  const d = rng.range(5, 12)
  const position: [number, number, number] = [rng.range(-0.4, 0.4), -COURT_HALF_LENGTH - d, h]
  const pan = rng.range(-1.2, 1.2) * (Math.PI / 180)
  const roll = rng.range(-0.8, 0.8) * (Math.PI / 180)
  const fill = rng.range(0.8, 0.88)
  const L = COURT_HALF_LENGTH
  const W = COURT_HALF_WIDTH
  // Points that must be in view: the near corners (with a player's feet beyond them) and the far corners raised to
  // head height (so far players' heads and lifts above the far baseline stay in frame).
  const keys: [number, number, number][] = [
    [-W - 0.5, -L - 0.6, 0],
    [W + 0.5, -L - 0.6, 0],
    [-W, L, 2.4],
    [W, L, 2.4]
  ]
  const unit = (yT: number): Camera => {
    const fwd = normalize([-position[0] * 0.5, yT - position[1], -position[2]])
    // Pan: rotate the forward vector about the vertical.
    const c = Math.cos(pan)
    const s = Math.sin(pan)
    const fx = c * fwd[0] - s * fwd[1]
    const fy = s * fwd[0] + c * fwd[1]
    return { width: 1, height: 1, f: 1, cx: 0, cy: 0, position, R: lookRotation([fx, fy, fwd[2]], roll) }
  }
  // Aim (target point on the court's long axis) so that the key points are centred vertically.
  let lo = -L
  let hi = L + 6
  for (let i = 0; i < 50; i++) {
    const mid = (lo + hi) / 2
    const cam = unit(mid)
    const vs = keys.map((k) => project(cam, k[0], k[1], k[2]).v)
    const centre = (Math.min(...vs) + Math.max(...vs)) / 2
    // Aiming further away tilts the camera up and moves the scene down in the image (larger v).
    if (centre > 0) hi = mid
    else lo = mid
  }
  const base = unit((lo + hi) / 2)
  const us = keys.map((k) => project(base, k[0], k[1], k[2]).u)
  const vs = keys.map((k) => project(base, k[0], k[1], k[2]).v)
  const spanU = Math.max(...us.map(Math.abs)) * 2
  const spanV = Math.max(...vs) - Math.min(...vs)
  const f = Math.min((fill * height) / spanV, (0.9 * width) / spanU)
  return { width, height, f, cx: (width - 1) / 2, cy: (height - 1) / 2, position, R: base.R }
}

/** The four outer court corners in image pixels (no shake), in courtCorners() order. */
export function cornersInImage(cam: Camera): [number, number][] {
  return courtCorners().map(([x, y]) => {
    const p = project(cam, x, y, 0)
    return [p.u, p.v]
  })
}

export const COURT_EXTENT = { halfLength: COURT_HALF_LENGTH, halfWidth: COURT_HALF_WIDTH }
