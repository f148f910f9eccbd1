// Runs everywhere (shared): a person's corrections to the detected hits — hits added at a frame, detected hits
// removed (a move is a removal plus an addition) — as a small JSON file kept beside the analysis, and their
// application to the hits found in a rally before speeds and sides are measured, so every table, chart and
// report uses the corrected list.
import { z } from 'zod'
import type { RawHit } from './hits'
import type { Motion } from './motion'

const Frame = z.number().int().nonnegative()

export const HitEditsFile = z.object({
  format: z.literal('shuttle-studio-hit-edits'),
  version: z.literal(1),
  /** Frames where a hit was added by hand. */
  added: z.array(Frame),
  /** Frames of detected hits taken out by hand (the detected hit's rounded frame). */
  removed: z.array(Frame)
})
export type HitEditsFile = z.infer<typeof HitEditsFile>

export interface HitEdits {
  added: readonly number[]
  removed: readonly number[]
}

export const NO_HIT_EDITS: HitEdits = { added: [], removed: [] }

export class HitEditsFileError extends Error {
  override name = 'HitEditsFileError'
}

export function parseHitEditsFile(text: string): HitEdits {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (e) {
    throw new HitEditsFileError(`not JSON: ${(e as Error).message}`)
  }
  const r = HitEditsFile.safeParse(data)
  if (!r.success) {
    const first = r.error.issues[0]
    throw new HitEditsFileError(
      'expected {format: "shuttle-studio-hit-edits", version: 1, added: [frames], removed: [frames]}; ' +
        `${first ? `${first.path.join('.') || 'file'}: ${first.message}` : 'unrecognised'}`
    )
  }
  return { added: r.data.added, removed: r.data.removed }
}

export function hitEditsFileOf(e: HitEdits): HitEditsFile {
  const sorted = (v: readonly number[]): number[] => [...new Set(v)].sort((a, b) => a - b)
  return {
    format: 'shuttle-studio-hit-edits',
    version: 1,
    added: sorted(e.added),
    removed: sorted(e.removed)
  }
}

/** Adds a hit at `frame` (undoing its removal if it was a detected one). */
export function addHit(e: HitEdits, frame: number): HitEdits {
  if (e.removed.includes(frame)) return { added: e.added, removed: e.removed.filter((f) => f !== frame) }
  return e.added.includes(frame) ? e : { added: [...e.added, frame], removed: e.removed }
}

/** Removes the hit at `frame`: an added one is forgotten, a detected one is marked removed. */
export function removeHit(e: HitEdits, frame: number): HitEdits {
  if (e.added.includes(frame)) return { added: e.added.filter((f) => f !== frame), removed: e.removed }
  return e.removed.includes(frame) ? e : { added: e.added, removed: [...e.removed, frame] }
}

export function moveHit(e: HitEdits, from: number, to: number): HitEdits {
  return from === to ? e : addHit(removeHit(e, from), to)
}

/**
 * The rally's hits after the edits: detected hits at a removed frame dropped, hits added at frames inside
 * [from, to] (the rally's first stroke to its landing) placed at the track's position there. An added hit on a
 * frame the shuttle was not seen takes the nearest seen position.
 */
export function applyHitEdits(
  raw: readonly RawHit[],
  e: HitEdits,
  m: Motion,
  from: number,
  to: number
): RawHit[] {
  const kept = raw.filter((h) => !e.removed.includes(Math.round(h.frame)))
  for (const f of e.added) {
    if (f < from || f > to || kept.some((h) => Math.round(h.frame) === f)) continue
    const k = nearestPresent(m, f)
    if (k === null) continue
    kept.push({ frame: f, image: [m.x[k]!, m.y[k]!], kind: 'stroke', score: 0, edited: true })
  }
  return kept.sort((a, b) => a.frame - b.frame)
}

function nearestPresent(m: Motion, f: number): number | null {
  for (let d = 0; d < m.present.length; d++) {
    if (m.present[f - d]) return f - d
    if (m.present[f + d]) return f + d
  }
  return null
}
