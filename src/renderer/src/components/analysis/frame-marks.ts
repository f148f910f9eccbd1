// Runs in the renderer: what the analysis draws over the video frame the user is on — the shuttle and its recent
// trail, the hits of the rally so far (the one at this frame picked out), the landing once reached — as a list of
// marks in video pixels; pure, so it is tested without a canvas (draw-marks.ts draws them).
import type { Track } from '@shared/analysis/track'
import type { MatchAnalysis, RallyResult } from '@shared/analysis/types'

export interface FrameMark {
  kind: 'shuttle' | 'trail' | 'hit' | 'landing'
  x: number
  y: number
  /** Stroke number in the rally for hits. */
  label?: string
  /** A hit at this frame (±1), or the landing frame itself. */
  current: boolean
  frame: number
}

const TRAIL_FRAMES = 8

/** The rally a frame belongs to: from its first stroke until two seconds after its landing. */
export function rallyAt(a: MatchAnalysis, frame: number): RallyResult | null {
  let found: RallyResult | null = null
  for (const r of a.rallies) if (r.startFrame <= frame && frame <= r.endFrame + 2 * a.fps) found = r
  return found
}

export function marksAt(a: MatchAnalysis | null, t: Track | null, frame: number): FrameMark[] {
  const out: FrameMark[] = []
  if (t) {
    for (let k = Math.max(0, frame - TRAIL_FRAMES); k < frame; k++)
      if (t.visible[k]) out.push({ kind: 'trail', x: t.x[k]!, y: t.y[k]!, current: false, frame: k })
    if (t.visible[frame]) out.push({ kind: 'shuttle', x: t.x[frame]!, y: t.y[frame]!, current: true, frame })
  }
  const r = a ? rallyAt(a, frame) : null
  if (r) {
    for (const h of r.hits)
      if (h.frame <= frame + 1)
        out.push({
          kind: 'hit',
          x: h.x,
          y: h.y,
          label: String(h.index + 1),
          current: Math.abs(h.frame - frame) <= 1,
          frame: h.frame
        })
    if (frame >= r.landing.frame)
      out.push({
        kind: 'landing',
        x: r.landing.x,
        y: r.landing.y,
        current: frame === r.landing.frame,
        frame: r.landing.frame
      })
  }
  return out
}
