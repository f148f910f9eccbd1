// Runs everywhere (shared): a grid of points on the court: image positions known to be on the floor (the
// analysis passes the landings where the shuttle came to rest) mapped by the homography. Airborne positions do not
// belong here: a shuttle in the air maps to where its camera ray meets the floor, far beyond the point under it.
import { COURT_LENGTH, COURT_WIDTH, type Point2 } from './court'
import { applyHomography } from './homography'
import type { HeatmapGrid } from './types'

export const HEATMAP_MARGIN = 1.5

export function courtHeatmap(
  imageToCourt: readonly number[],
  points: Iterable<Point2>,
  cell = 0.25
): HeatmapGrid {
  const x0 = -HEATMAP_MARGIN
  const y0 = -HEATMAP_MARGIN
  const cols = Math.ceil((COURT_WIDTH + 2 * HEATMAP_MARGIN) / cell)
  const rows = Math.ceil((COURT_LENGTH + 2 * HEATMAP_MARGIN) / cell)
  const counts = new Array<number>(cols * rows).fill(0)
  for (const p of points) {
    const q = applyHomography(imageToCourt, p)
    if (!q) continue
    const c = Math.floor((q[0] - x0) / cell)
    const r = Math.floor((q[1] - y0) / cell)
    if (c >= 0 && c < cols && r >= 0 && r < rows) counts[r * cols + c]!++
  }
  return { x0, y0, cell, cols, rows, counts }
}
