// Runs everywhere (shared): the badminton court model the analysis measures in (BWF Laws, doubles court).
// Court coordinates are metres with the ORIGIN AT THE NEAR-LEFT OUTER CORNER as seen from the camera:
// x runs across the court (0 … 6.1 to the near-right corner), y along it (0 … 13.4 to the far baseline, the net
// at y = 6.7), z up. The "near" half (y < 6.7) is the camera's side.

export const COURT_WIDTH = 6.1
export const COURT_LENGTH = 13.4
export const NET_Y = COURT_LENGTH / 2
/** Height of the net posts' tops (the net sags to 1.524 m in the centre; the posts do not). */
export const NET_POST_HEIGHT = 1.55
const SINGLES_INSET = 0.46
const SHORT_SERVICE_FROM_NET = 1.98
const DOUBLES_LONG_SERVICE_FROM_BASELINE = 0.76

export type Point2 = [number, number]
export type Point3 = [number, number, number]
export type Side = 'near' | 'far'

/** The four outer corners in the order the user clicks them: near-left, near-right, far-right, far-left. */
export function courtCorners(): Point2[] {
  return [
    [0, 0],
    [COURT_WIDTH, 0],
    [COURT_WIDTH, COURT_LENGTH],
    [0, COURT_LENGTH]
  ]
}

export const CORNER_NAMES = ['near-left', 'near-right', 'far-right', 'far-left'] as const
export const POST_NAMES = ['left post top', 'right post top'] as const

/** The tops of the two net posts (on the doubles sidelines, at the net): left, then right. */
export function netPostTops(): Point3[] {
  return [
    [0, NET_Y, NET_POST_HEIGHT],
    [COURT_WIDTH, NET_Y, NET_POST_HEIGHT]
  ]
}

export interface CourtLine {
  kind: 'outer' | 'singles-sideline' | 'short-service' | 'long-service' | 'centre' | 'net'
  a: Point2
  b: Point2
}

/** Every line of the court model as a segment on the floor (line centres are idealised onto the boundaries). */
export function courtLines(): CourtLine[] {
  const W = COURT_WIDTH
  const L = COURT_LENGTH
  const s = SINGLES_INSET
  const lines: CourtLine[] = [
    { kind: 'outer', a: [0, 0], b: [W, 0] },
    { kind: 'outer', a: [W, 0], b: [W, L] },
    { kind: 'outer', a: [W, L], b: [0, L] },
    { kind: 'outer', a: [0, L], b: [0, 0] },
    { kind: 'singles-sideline', a: [s, 0], b: [s, L] },
    { kind: 'singles-sideline', a: [W - s, 0], b: [W - s, L] },
    { kind: 'net', a: [0, NET_Y], b: [W, NET_Y] }
  ]
  for (const y of [NET_Y - SHORT_SERVICE_FROM_NET, NET_Y + SHORT_SERVICE_FROM_NET])
    lines.push({ kind: 'short-service', a: [0, y], b: [W, y] })
  for (const y of [DOUBLES_LONG_SERVICE_FROM_BASELINE, L - DOUBLES_LONG_SERVICE_FROM_BASELINE])
    lines.push({ kind: 'long-service', a: [0, y], b: [W, y] })
  // Centre lines run from each short service line to its baseline.
  lines.push({ kind: 'centre', a: [W / 2, 0], b: [W / 2, NET_Y - SHORT_SERVICE_FROM_NET] })
  lines.push({ kind: 'centre', a: [W / 2, NET_Y + SHORT_SERVICE_FROM_NET], b: [W / 2, L] })
  return lines
}

export function sideOfCourtY(y: number): Side {
  return y < NET_Y ? 'near' : 'far'
}

export function insideCourt(p: Point2, margin = 0): boolean {
  return p[0] >= -margin && p[0] <= COURT_WIDTH + margin && p[1] >= -margin && p[1] <= COURT_LENGTH + margin
}
