// Runs in the renderer: draws the court model seen from above on a 2-D canvas (camera side at the bottom) with
// hit positions, landing points or a heatmap on it; shared by the analysis view's court diagram and heatmap.
import { COURT_LENGTH, COURT_WIDTH, courtLines } from '@shared/analysis/court'
import type { HeatmapGrid, HitResult, LandingResult } from '@shared/analysis/types'

export const MARGIN_M = 1.5

export interface CourtView {
  /** Pixels per metre. */
  scale: number
  width: number
  height: number
  toPx: (x: number, y: number) => [number, number]
}

export function courtView(scale: number): CourtView {
  const width = Math.round((COURT_WIDTH + 2 * MARGIN_M) * scale)
  const height = Math.round((COURT_LENGTH + 2 * MARGIN_M) * scale)
  return { scale, width, height, toPx: (x, y) => [(x + MARGIN_M) * scale, height - (y + MARGIN_M) * scale] }
}

export function drawCourt(ctx: CanvasRenderingContext2D, v: CourtView, floor = '#2f6b4a'): void {
  ctx.clearRect(0, 0, v.width, v.height)
  const [x0, y0] = v.toPx(0, COURT_LENGTH)
  ctx.fillStyle = floor
  ctx.fillRect(x0, y0, COURT_WIDTH * v.scale, COURT_LENGTH * v.scale)
  ctx.strokeStyle = '#f4f4f4'
  for (const l of courtLines()) {
    ctx.lineWidth = l.kind === 'net' ? 3 : 1.5
    ctx.strokeStyle = l.kind === 'net' ? '#dddddd' : '#f4f4f4'
    ctx.beginPath()
    ctx.moveTo(...v.toPx(l.a[0], l.a[1]))
    ctx.lineTo(...v.toPx(l.b[0], l.b[1]))
    ctx.stroke()
  }
}

const SIDE_COLOUR = { near: '#4aa3ff', far: '#ffd24a' } as const

export function drawHits(
  ctx: CanvasRenderingContext2D,
  v: CourtView,
  hits: readonly HitResult[],
  connect: boolean
): void {
  const placed = hits.filter((h) => h.courtX !== null && h.courtY !== null)
  if (connect && placed.length > 1) {
    ctx.strokeStyle = 'rgba(255,255,255,0.5)'
    ctx.lineWidth = 1
    ctx.setLineDash([4, 3])
    ctx.beginPath()
    placed.forEach((h, i) =>
      i ? ctx.lineTo(...v.toPx(h.courtX!, h.courtY!)) : ctx.moveTo(...v.toPx(h.courtX!, h.courtY!))
    )
    ctx.stroke()
    ctx.setLineDash([])
  }
  for (const h of placed) {
    const [px, py] = v.toPx(h.courtX!, h.courtY!)
    ctx.fillStyle = h.playerSide ? SIDE_COLOUR[h.playerSide] : '#bbbbbb'
    ctx.beginPath()
    ctx.arc(px, py, 4, 0, Math.PI * 2)
    ctx.fill()
  }
}

export function drawLandings(
  ctx: CanvasRenderingContext2D,
  v: CourtView,
  landings: readonly LandingResult[]
): void {
  ctx.strokeStyle = '#ff5a5a'
  ctx.lineWidth = 2
  for (const l of landings) {
    if (l.courtX === null || l.courtY === null) continue
    const [px, py] = v.toPx(l.courtX, l.courtY)
    ctx.globalAlpha = l.atRest ? 1 : 0.5
    ctx.beginPath()
    ctx.moveTo(px - 5, py - 5)
    ctx.lineTo(px + 5, py + 5)
    ctx.moveTo(px + 5, py - 5)
    ctx.lineTo(px - 5, py + 5)
    ctx.stroke()
  }
  ctx.globalAlpha = 1
}

export function drawHeatmap(ctx: CanvasRenderingContext2D, v: CourtView, grid: HeatmapGrid): void {
  const max = Math.max(1, ...grid.counts)
  for (let r = 0; r < grid.rows; r++) {
    for (let c = 0; c < grid.cols; c++) {
      const n = grid.counts[r * grid.cols + c]!
      if (!n) continue
      const [px, py] = v.toPx(grid.x0 + c * grid.cell, grid.y0 + (r + 1) * grid.cell)
      ctx.fillStyle = `rgba(255, 80, 40, ${(0.15 + 0.85 * Math.sqrt(n / max)).toFixed(3)})`
      ctx.fillRect(px, py, grid.cell * v.scale + 0.5, grid.cell * v.scale + 0.5)
    }
  }
}
