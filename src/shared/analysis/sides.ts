// Runs everywhere (shared): which player hit each stroke (near or far half). Strokes alternate between the
// halves within a rally, so one consistent alternation is chosen per rally from the evidence: the 3-D fit's
// contact half (strong), where the rally's shuttle landed (the last hitter is on the other half; strong), and
// the image direction just after the hit (weak: a near player's stroke moves up the broadcast image).
import type { Side } from './court'

export interface SideEvidence {
  fit: Side | null
  /** Image velocity along y right after the hit (px/s; negative = up the image), when measured. */
  imageVy: number | null
}

export interface SideDecision {
  side: Side | null
  from: 'flight-fit' | 'alternation' | 'image-direction' | null
}

const other = (s: Side): Side => (s === 'near' ? 'far' : 'near')

export function decideSides(hits: readonly SideEvidence[], landingSide: Side | null): SideDecision[] {
  if (hits.length === 0) return []
  let bestStart: Side | null = null
  let bestScore = 0
  for (const start of ['near', 'far'] as Side[]) {
    let score = 0
    hits.forEach((h, i) => {
      const s = i % 2 === 0 ? start : other(start)
      if (h.fit) score += h.fit === s ? 2 : -2
      if (h.imageVy !== null && h.imageVy !== 0) score += h.imageVy < 0 === (s === 'near') ? 0.5 : -0.5
    })
    const last = (hits.length - 1) % 2 === 0 ? start : other(start)
    if (landingSide) score += landingSide !== last ? 2 : -2
    if (score > bestScore) {
      bestScore = score
      bestStart = start
    }
  }
  const onlyWeak = hits.every((h) => !h.fit) && !landingSide
  return hits.map((h, i) => {
    if (h.fit) return { side: h.fit, from: 'flight-fit' }
    if (!bestStart) return { side: null, from: null }
    return {
      side: i % 2 === 0 ? bestStart : other(bestStart),
      from: onlyWeak ? 'image-direction' : 'alternation'
    }
  })
}
