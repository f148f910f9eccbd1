// Runs in the backend (plain Node): the colour of a floor point — the mat and the surround, the sponsors' logos
// painted on the floor, the court lines, and reflections of the ceiling lights.
import type { Camera } from './camera'
import { COURT_HALF_LENGTH, COURT_HALF_WIDTH } from './court'
import { logoInk } from './glyphs'
import type { Rng } from './prng'
import { courtLineCoverage } from './background-lines'
import type { Venue } from './venue'

/** How far the mat reaches beyond the court's outer lines (m). */
const MAT_MARGIN_X = 1.1
const MAT_MARGIN_Y = 1.7

interface FloorLogo {
  cx: number
  cy: number
  /** Half sizes in x and y. */
  hx: number
  hy: number
  /** Text runs along x (true) or along y. */
  alongX: boolean
  chars: number
  id: number
}

/** A ceiling light's reflection: a soft round highlight on the floor. */
interface Glare {
  x: number
  y: number
  r: number
}

/** Writes the colour of floor point (X, Y), met by pixel ray (rx, ry, rz), into out. */
export type FloorShader = (X: number, Y: number, rx: number, ry: number, rz: number, out: number[]) => void

/** Draws the logos and glares from rng (in that order: the draws are part of the picture). */
export function floorShader(rng: Rng, cam: Camera, venue: Venue): FloorShader {
  const logos = floorLogos(rng)
  const spots = glares(rng)
  const lineCoverage = courtLineCoverage(cam)
  return (X, Y, rx, ry, rz, out) => {
    paintedFloor(X, Y, venue, logos, out)
    const cover = lineCoverage(X, Y, rx, ry, rz)
    if (cover > 0) {
      for (let k = 0; k < 3; k++) out[k] = out[k]! * (1 - cover) + venue.line[k]! * cover
    }
    const add = glareAt(X, Y, spots) * venue.glare * 150
    out[0] = out[0]! + add
    out[1] = out[1]! + add
    out[2] = out[2]! + add
  }
}

function paintedFloor(X: number, Y: number, venue: Venue, logos: FloorLogo[], out: number[]): void {
  const onMat =
    Math.abs(X) <= COURT_HALF_WIDTH + MAT_MARGIN_X && Math.abs(Y) <= COURT_HALF_LENGTH + MAT_MARGIN_Y
  const base = onMat ? venue.court : venue.surround
  // A faint large-scale unevenness of the mat so the floor is not a flat synthetic colour.
  const wob = 1 + 0.04 * Math.sin(X * 0.9 + Y * 0.35) * Math.cos(Y * 0.6 - X * 0.2)
  out[0] = base[0] * wob
  out[1] = base[1] * wob
  out[2] = base[2] * wob
  for (const l of logos) {
    const a = (X - (l.cx - l.hx)) / (2 * l.hx)
    const b = (Y - (l.cy - l.hy)) / (2 * l.hy)
    // Floor text reads from the camera: along x it is upright with y up the court.
    const ink = l.alongX ? logoInk(l.id, l.chars, a, 1 - b) : logoInk(l.id, l.chars, b, a)
    if (ink) {
      out[0] = venue.floorLogo[0]
      out[1] = venue.floorLogo[1]
      out[2] = venue.floorLogo[2]
    }
  }
}

function glareAt(X: number, Y: number, spots: Glare[]): number {
  let g = 0
  for (const sp of spots) {
    const d2 = ((X - sp.x) ** 2 + (Y - sp.y) ** 2) / (sp.r * sp.r)
    if (d2 < 9) g += Math.exp(-d2)
  }
  return g
}

function floorLogos(rng: Rng): FloorLogo[] {
  const logos: FloorLogo[] = []
  const y = COURT_HALF_LENGTH + 0.9
  for (const sx of [-1, 1]) {
    logos.push({
      cx: sx * 1.6,
      cy: y,
      hx: 1.1,
      hy: 0.28,
      alongX: true,
      chars: rng.int(5, 8),
      id: rng.nextU32()
    })
    logos.push({
      cx: sx * (COURT_HALF_WIDTH + 0.62),
      cy: rng.range(-4, 4),
      hx: 0.26,
      hy: 1.2,
      alongX: false,
      chars: rng.int(5, 8),
      id: rng.nextU32()
    })
  }
  return logos
}

function glares(rng: Rng): Glare[] {
  const list: Glare[] = []
  const n = rng.int(3, 7)
  for (let i = 0; i < n; i++) {
    list.push({ x: rng.range(-4.5, 4.5), y: rng.range(-7, 8), r: rng.range(0.5, 1.3) })
  }
  return list
}
