// Runs in the backend (plain Node): how much of a floor pixel the court lines cover. The lines are 4 cm wide, often
// thinner than a pixel far away, so pixels near a line are supersampled 3 x 3 and the rest are skipped cheaply.
import type { Camera } from './camera'
import { courtLines, LINE_WIDTH } from './court'
import { pixelRays } from './background-trace'

/** Distance (m) from a line's box within which a pixel is supersampled. */
const NEAR_LINE = 0.15

/**
 * Returns the line coverage (0-1) of the pixel whose ray (rx, ry, rz) meets the floor at (X, Y).
 */
export type LineCoverage = (X: number, Y: number, rx: number, ry: number, rz: number) => number

export function courtLineCoverage(cam: Camera): LineCoverage {
  const lines = courtLines()
  const half = LINE_WIDTH / 2
  // Line boxes (the lines are axis-aligned) for the cheap "is this pixel near a line" test.
  const boxes = lines.map((s) => [
    Math.min(s.x0, s.x1),
    Math.max(s.x0, s.x1),
    Math.min(s.y0, s.y1),
    Math.max(s.y0, s.y1)
  ])
  const { du, dv } = pixelRays(cam)
  const [Cx, Cy, Cz] = cam.position

  /** 1 where floor point (X, Y) lies on a line, else 0. */
  const onLine = (X: number, Y: number): number => {
    let best = 1e9
    for (const b of boxes) {
      // Axis-aligned segments: the distance is cheap to compute directly.
      const dx = X < b[0]! ? b[0]! - X : X > b[1]! ? X - b[1]! : 0
      const dy = Y < b[2]! ? b[2]! - Y : Y > b[3]! ? Y - b[3]! : 0
      const d = dx > dy ? dx : dy
      if (d < best) best = d
    }
    return best <= half ? 1 : 0
  }

  const nearLine = (X: number, Y: number): boolean => {
    for (const b of boxes) {
      if (X > b[0]! - NEAR_LINE && X < b[1]! + NEAR_LINE && Y > b[2]! - NEAR_LINE && Y < b[3]! + NEAR_LINE) {
        return true
      }
    }
    return false
  }

  return (X, Y, rx, ry, rz) => {
    if (!nearLine(X, Y)) return 0
    let cover = 0
    for (let sy = -1; sy <= 1; sy++) {
      for (let sx = -1; sx <= 1; sx++) {
        const ax = rx + (sx * du[0] + sy * dv[0]) / 3
        const ay = ry + (sx * du[1] + sy * dv[1]) / 3
        const az = rz + (sx * du[2] + sy * dv[2]) / 3
        if (az >= 0) continue
        const t = -Cz / az
        cover += onLine(Cx + t * ax, Cy + t * ay)
      }
    }
    return cover / 9
  }
}
