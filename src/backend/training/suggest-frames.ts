// Runs in the backend (plain Node), pure: "label these next" — which frames of the project's tracked clips are
// worth a person's label most, from the track the studio keeps of each clip (.studio/predictions: Frame,
// Visibility, X, Y, Confidence, Source, Candidates). Uncertainty sampling: a label teaches the model most where
// it is about to decide the other way, or where its own two views of the frame disagree. The signals:
// - unsure: the frame's peak confidence lies near the model's threshold (visible or not): a small change of
//   weights flips the call, so a label there moves the decision boundary most;
// - other-candidate: the trajectory choice took a blob that is not the frame's strongest: the per-frame heatmap
//   and the flight path disagree, which is the look-alike (shoe, logo, line) case adaptation must learn;
// - rejected: rectification removed the frame's detection as off the flight path (and maybe filled the frame
//   from the flight around it): the same disagreement, decided the other way;
// - jump: the track moves faster than a shuttle flies between near frames: one of the two points is wrong.
// Frames that already have a ground-truth label are never suggested. The picks are spread over clips (round
// robin from each clip's best) and never closer than a few frames in one clip, since neighbouring frames look
// alike and teach the same thing.
import { parseCandidates, type Candidate } from '../../shared/heatmap'
import type { z } from 'zod'
import type { SuggestReason } from '../../shared/api/methods/training'

export type Reason = z.infer<typeof SuggestReason>

export interface PredictionRow {
  frame: number
  visible: boolean
  x: number
  y: number
  confidence: number
  /** Rectification's verdict (detected, filled, removed, smoothed, none); null in a raw track. */
  source: string | null
  /** The frame's strongest blobs, strongest first; null when the file has no Candidates column. */
  candidates: Candidate[] | null
}

export interface ClipTrack {
  rows: PredictionRow[]
  /** The model's decision threshold (shuttle.threshold), 0.5 when it does not say. */
  threshold: number
  /** Video width in pixels (jumps are measured against it). */
  width: number
  /** Frames with a ground-truth label: never suggested. */
  labelled: ReadonlySet<number>
}

export interface ScoredFrame {
  frame: number
  /** 0..1, higher: more worth a label. */
  score: number
  reasons: Reason[]
}

/** Within this fraction of the threshold's side of 0..1 a confidence counts as unsure. */
const UNSURE_BAND = 0.5
/** A blob this many pixels from the chosen point is another candidate, not the same one re-centred. */
const SAME_BLOB_PX = 4
/** As triage.ts: beyond ~15 % of the width per frame a move is not a shuttle's. */
const MAX_SPEED_OF_WIDTH = 0.15
/** Jumps are looked for between visible frames at most this far apart. */
const JUMP_WINDOW = 3

const BASE_SCORE: Record<Reason, number> = { unsure: 0, 'other-candidate': 0.8, rejected: 0.85, jump: 0.7 }

/** The studio's prediction CSV into rows; lines it cannot read are skipped (the file is the studio's own). */
export function parsePredictionCsv(text: string): PredictionRow[] {
  const lines = text.split(/\r?\n/)
  const header = (lines[0] ?? '').split(',').map((h) => h.trim().toLowerCase())
  const col = (name: string): number => header.indexOf(name)
  const [fi, vi, xi, yi, ci, si, ki] = [
    'frame',
    'visibility',
    'x',
    'y',
    'confidence',
    'source',
    'candidates'
  ].map(col) as [number, number, number, number, number, number, number]
  if (fi < 0 || vi < 0 || xi < 0 || yi < 0) return []
  const rows: PredictionRow[] = []
  for (let i = 1; i < lines.length; i++) {
    const f = (lines[i] as string).split(',')
    if (f.length < 4) continue
    const frame = Number(f[fi])
    const x = Number(f[xi])
    const y = Number(f[yi])
    if (!Number.isInteger(frame) || frame < 0 || !Number.isFinite(x) || !Number.isFinite(y)) continue
    const confidence = ci >= 0 ? Number(f[ci]) : NaN
    rows.push({
      frame,
      visible: Number(f[vi]) === 1,
      x,
      y,
      confidence: Number.isFinite(confidence) ? confidence : -1,
      source: si >= 0 ? (f[si] ?? '').trim() || null : null,
      candidates: ki >= 0 ? parseCandidates(f[ki] ?? '') : null
    })
  }
  return rows
}

/** How near the threshold a confidence is: 1 at the threshold, 0 at the edge of the band or beyond. */
export function unsureness(confidence: number, threshold: number): number {
  if (confidence < 0) return 0
  const side = confidence >= threshold ? 1 - threshold : threshold
  const d = Math.abs(confidence - threshold) / Math.max(side, 1e-6)
  return d >= UNSURE_BAND ? 0 : 1 - d / UNSURE_BAND
}

/** Every frame of a clip's track with at least one signal, scored. */
export function scoreFrames(t: ClipTrack): ScoredFrame[] {
  const out: ScoredFrame[] = []
  const maxSpeed = t.width * MAX_SPEED_OF_WIDTH
  let prev: PredictionRow | null = null
  for (const r of t.rows) {
    const reasons: Reason[] = []
    let score = 0
    const add = (reason: Reason, s: number): void => {
      reasons.push(reason)
      score = Math.max(score, s)
    }
    // A rectified 'filled' point was never the model's: its confidence says nothing about the model.
    const unsure = r.source === 'filled' ? 0 : unsureness(r.confidence, t.threshold)
    if (unsure > 0) add('unsure', unsure)
    if (r.visible && r.source !== 'filled' && tookOtherCandidate(r))
      add('other-candidate', BASE_SCORE['other-candidate'])
    if (r.source === 'removed' || rejectedThenFilled(r, t.threshold)) add('rejected', BASE_SCORE.rejected)
    if (r.visible && prev && r.frame - prev.frame <= JUMP_WINDOW) {
      const speed = Math.hypot(r.x - prev.x, r.y - prev.y) / (r.frame - prev.frame)
      if (speed > maxSpeed) add('jump', BASE_SCORE.jump)
    }
    if (r.visible) prev = r
    if (reasons.length && !t.labelled.has(r.frame)) {
      // Each further signal on the same frame makes it more worth a look.
      out.push({ frame: r.frame, score: Math.min(1, score + 0.1 * (reasons.length - 1)), reasons })
    }
  }
  return out
}

/** The signals where the model disagrees with itself (its heatmap and its flight path pick differently). */
export const DISAGREEMENT_REASONS: readonly Reason[] = ['other-candidate', 'rejected']

/**
 * The frames of a track where the model disagrees with itself, ascending — the same measure as the Train tab's
 * suggestions (scoreFrames), for one clip and without a cap, so the Frames view's look list can show them all.
 * Confidence and speed do not count here: the look list has its own low-confidence and jump checks.
 */
export function disagreementFrames(rows: readonly PredictionRow[]): number[] {
  const scored = scoreFrames({ rows: [...rows], threshold: 0.5, width: Infinity, labelled: new Set() })
  return scored
    .filter((s) => s.reasons.some((r) => DISAGREEMENT_REASONS.includes(r)))
    .map((s) => s.frame)
    .sort((a, b) => a - b)
}

/**
 * Rectification removed the model's own sure detection and filled the frame from the flight around it: the
 * file says 'filled', but the frame kept the detection's confidence and its blob lies away from the filled
 * point. (A real gap's frame was below the threshold, so it never counts.)
 */
function rejectedThenFilled(r: PredictionRow, threshold: number): boolean {
  const top = r.candidates?.[0]
  if (r.source !== 'filled' || !top || r.confidence < threshold) return false
  return Math.hypot(top.x - r.x, top.y - r.y) > SAME_BLOB_PX
}

/** The chosen point is a blob other than the strongest one (trajectory choice over the heatmap's own pick). */
function tookOtherCandidate(r: PredictionRow): boolean {
  const c = r.candidates
  if (!c || c.length < 2) return false
  const top = c[0]!
  if (Math.hypot(top.x - r.x, top.y - r.y) <= SAME_BLOB_PX) return false
  return c.slice(1).some((o) => Math.hypot(o.x - r.x, o.y - r.y) <= SAME_BLOB_PX)
}

export interface Pick extends ScoredFrame {
  clip: number
}

/**
 * At most `max` frames, spread over clips: each round takes the best remaining frame of every clip (clips with
 * the best frames first), skipping frames within `minGap` of one already picked in that clip. Returned by clip
 * (in the order given), then frame, so going through them switches clips as little as possible.
 */
export function pickSuggestions(
  perClip: readonly ScoredFrame[][],
  o: { max: number; minGap: number }
): Pick[] {
  const queues = perClip.map((s, clip) => ({
    clip,
    left: [...s].sort((a, b) => b.score - a.score || a.frame - b.frame),
    taken: [] as number[]
  }))
  queues.sort((a, b) => (b.left[0]?.score ?? -1) - (a.left[0]?.score ?? -1) || a.clip - b.clip)
  const picks: Pick[] = []
  while (picks.length < o.max) {
    let any = false
    for (const q of queues) {
      if (picks.length >= o.max) break
      let next = q.left.shift()
      while (next && q.taken.some((f) => Math.abs(f - next!.frame) < o.minGap)) next = q.left.shift()
      if (!next) continue
      q.taken.push(next.frame)
      picks.push({ ...next, clip: q.clip })
      any = true
    }
    if (!any) break
  }
  return picks.sort((a, b) => a.clip - b.clip || a.frame - b.frame)
}
