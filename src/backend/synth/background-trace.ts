// Runs in the backend (plain Node): the hall around the court as the background sees it — a floor, advertising
// boards behind and beside the court, and beyond them the crowd — and which of these the ray through a pixel meets.
import { rayThrough, type Camera } from './camera'
import { COURT_HALF_LENGTH, COURT_HALF_WIDTH } from './court'

export type Vec3 = [number, number, number]

export const BACK_BOARDS_Y = COURT_HALF_LENGTH + 2.3
export const SIDE_BOARDS_X = COURT_HALF_WIDTH + 2.6
export const NEAR_FLOOR_Y = -COURT_HALF_LENGTH - 9
export const BOARD_HEIGHT = 0.9

/**
 * The ray through background pixel (u, v) is linear in (u, v): r = c0 + u * du + v * dv, so the loops over pixels
 * need no per-pixel matrix work or allocation.
 */
export interface PixelRays {
  c0: Vec3
  du: Vec3
  dv: Vec3
}

export function pixelRays(cam: Camera): PixelRays {
  const R = cam.R
  const du: Vec3 = [R[0]! / cam.f, R[1]! / cam.f, R[2]! / cam.f]
  const dv: Vec3 = [R[3]! / cam.f, R[4]! / cam.f, R[5]! / cam.f]
  return { c0: rayThrough(cam, 0, 0), du, dv }
}

export const HIT_CROWD = 0
export const HIT_FLOOR = 1
export const HIT_BOARD = 2

/** What a ray meets first; one object is reused for every pixel. */
export interface HallHit {
  kind: typeof HIT_CROWD | typeof HIT_FLOOR | typeof HIT_BOARD
  /** Ray parameter of the hit (Infinity for the crowd, which is not geometry). */
  t: number
  /** On a board: the position along it (x on the back board, y on a side board) and the height. */
  s: number
  z: number
  /** Which board: 0 the back one, -1 or 1 the side ones. */
  side: number
}

export function emptyHit(): HallHit {
  return { kind: HIT_CROWD, t: Infinity, s: 0, z: 0, side: 0 }
}

/** Intersects ray (rx, ry, rz) from camera centre C with the floor and the boards; what misses them is crowd. */
export function traceHall(C: Vec3, rx: number, ry: number, rz: number, hit: HallHit): void {
  const [Cx, Cy, Cz] = C
  hit.kind = HIT_CROWD
  hit.t = Infinity
  hit.s = 0
  hit.z = 0
  hit.side = 0
  if (rz < 0) {
    const t = -Cz / rz
    const X = Cx + t * rx
    const Y = Cy + t * ry
    if (Math.abs(X) < SIDE_BOARDS_X && Y < BACK_BOARDS_Y && Y > NEAR_FLOOR_Y) {
      hit.t = t
      hit.kind = HIT_FLOOR
    }
  }
  if (ry > 0) {
    const t = (BACK_BOARDS_Y - Cy) / ry
    const X = Cx + t * rx
    const Z = Cz + t * rz
    if (t < hit.t && Z >= 0 && Z <= BOARD_HEIGHT && Math.abs(X) <= SIDE_BOARDS_X) {
      setBoardHit(hit, t, X, Z, 0)
    }
  }
  if (rx !== 0) {
    for (let sx = -1; sx <= 1; sx += 2) {
      const t = (sx * SIDE_BOARDS_X - Cx) / rx
      if (t <= 0 || t >= hit.t) continue
      const Y = Cy + t * ry
      const Z = Cz + t * rz
      if (Z >= 0 && Z <= BOARD_HEIGHT && Y <= BACK_BOARDS_Y && Y > NEAR_FLOOR_Y) setBoardHit(hit, t, Y, Z, sx)
    }
  }
}

function setBoardHit(hit: HallHit, t: number, s: number, z: number, side: number): void {
  hit.kind = HIT_BOARD
  hit.t = t
  hit.s = s
  hit.z = z
  hit.side = side
}
