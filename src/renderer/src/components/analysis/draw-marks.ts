// Runs in the renderer: draws the analysis' marks for one video frame (frame-marks.ts) on a 2-D canvas whose
// pixels are the video's.
import type { FrameMark } from './frame-marks'

/** Draws the marks on a canvas whose pixels are the video's; `unit` is a size that reads well at that scale. */
export function drawMarks(ctx: CanvasRenderingContext2D, marks: readonly FrameMark[], unit: number): void {
  ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height)
  ctx.lineWidth = unit / 2
  for (const m of marks) {
    ctx.beginPath()
    if (m.kind === 'trail') {
      ctx.fillStyle = 'rgba(255, 230, 0, 0.45)'
      ctx.arc(m.x, m.y, unit * 0.7, 0, Math.PI * 2)
      ctx.fill()
    } else if (m.kind === 'shuttle') {
      ctx.strokeStyle = '#ffe600'
      ctx.arc(m.x, m.y, unit * 2, 0, Math.PI * 2)
      ctx.stroke()
    } else if (m.kind === 'hit') {
      ctx.strokeStyle = m.current ? '#ff4081' : 'rgba(255, 64, 129, 0.7)'
      const s = unit * (m.current ? 3.2 : 2.2)
      ctx.rect(m.x - s, m.y - s, 2 * s, 2 * s)
      ctx.stroke()
      ctx.fillStyle = '#ff4081'
      ctx.font = `${Math.round(unit * 4)}px sans-serif`
      ctx.fillText(m.label ?? '', m.x + s + unit, m.y - s)
    } else {
      ctx.strokeStyle = '#ff5a5a'
      const s = unit * 3
      ctx.moveTo(m.x - s, m.y - s)
      ctx.lineTo(m.x + s, m.y + s)
      ctx.moveTo(m.x + s, m.y - s)
      ctx.lineTo(m.x - s, m.y + s)
      ctx.stroke()
    }
  }
}
