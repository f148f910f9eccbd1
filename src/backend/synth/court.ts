// Runs in the backend (plain Node): badminton court geometry in metres (BWF Laws): x across the court, y along it
// with the net at y = 0 and the camera's baseline at y = -6.7, z up. The court's size and the posts' height are
// the analysis' court model's (src/shared/analysis/court.ts), so the generator draws the court the analysis
// measures in; only the origin differs (here the court's centre, there its near-left corner).
import { COURT_LENGTH, COURT_WIDTH, NET_POST_HEIGHT } from '../../shared/analysis/court'

export const COURT_HALF_LENGTH = COURT_LENGTH / 2
export const COURT_HALF_WIDTH = COURT_WIDTH / 2
export const SINGLES_HALF_WIDTH = 2.59
export const SHORT_SERVICE_FROM_NET = 1.98
export const DOUBLES_LONG_SERVICE_FROM_NET = 5.94
export const LINE_WIDTH = 0.04
export const NET_HEIGHT_POSTS = NET_POST_HEIGHT
export const NET_HEIGHT_CENTRE = 1.524
export const NET_DEPTH = 0.76
export const NET_TAPE = 0.075
export const POST_RADIUS = 0.025

/** Top of the net at x: it sags from 1.55 m at the posts to 1.524 m in the centre (parabolic sag). */
export function netTopAt(x: number): number {
  const u = Math.min(1, Math.abs(x) / COURT_HALF_WIDTH)
  return NET_HEIGHT_CENTRE + (NET_HEIGHT_POSTS - NET_HEIGHT_CENTRE) * u * u
}

/** A painted line as a centre segment on the floor (its width is LINE_WIDTH). */
export interface Segment {
  x0: number
  y0: number
  x1: number
  y1: number
}

/** Every painted line of a doubles court: boundaries, singles sidelines, service lines, centre lines. */
export function courtLines(): Segment[] {
  const L = COURT_HALF_LENGTH
  const W = COURT_HALF_WIDTH
  const S = SINGLES_HALF_WIDTH
  // Lines lie inside the court area, so their centres are half a line width in from the outer edge.
  const e = LINE_WIDTH / 2
  const lines: Segment[] = [
    { x0: -W + e, y0: -L, x1: -W + e, y1: L },
    { x0: W - e, y0: -L, x1: W - e, y1: L },
    { x0: -S + e, y0: -L, x1: -S + e, y1: L },
    { x0: S - e, y0: -L, x1: S - e, y1: L }
  ]
  for (const sgn of [-1, 1]) {
    lines.push({ x0: -W, y0: sgn * (L - e), x1: W, y1: sgn * (L - e) })
    lines.push({
      x0: -W,
      y0: sgn * (DOUBLES_LONG_SERVICE_FROM_NET - e),
      x1: W,
      y1: sgn * (DOUBLES_LONG_SERVICE_FROM_NET - e)
    })
    lines.push({
      x0: -W,
      y0: sgn * (SHORT_SERVICE_FROM_NET + e),
      x1: W,
      y1: sgn * (SHORT_SERVICE_FROM_NET + e)
    })
    // The centre line runs from the short service line to the baseline on each side.
    lines.push({ x0: 0, y0: sgn * SHORT_SERVICE_FROM_NET, x1: 0, y1: sgn * L })
  }
  return lines
}

/** The four outer court corners (doubles), near-left, near-right, far-right, far-left as seen from the camera. */
export function courtCorners(): [number, number][] {
  const L = COURT_HALF_LENGTH
  const W = COURT_HALF_WIDTH
  return [
    [-W, -L],
    [W, -L],
    [W, L],
    [-W, L]
  ]
}

export function distToSegment(px: number, py: number, s: Segment): number {
  const dx = s.x1 - s.x0
  const dy = s.y1 - s.y0
  const len2 = dx * dx + dy * dy
  let u = len2 > 0 ? ((px - s.x0) * dx + (py - s.y0) * dy) / len2 : 0
  u = u < 0 ? 0 : u > 1 ? 1 : u
  return Math.hypot(px - (s.x0 + u * dx), py - (s.y0 + u * dy))
}
