// Runs in Node (shared by range-burst.ts and sigkill-ranges.test.ts): the labels a crash test starts from and
// the edits it makes after, the same sequence in the child that is killed and in the test that checks what
// survived. Each round clears 40 labelled frames, places one point in the gap and interpolates 20 frames up
// to it: edits over many frames, and the labelled count shrinks every round (so the CSV must shrink too).
import {
  applyEdit,
  clearFrames,
  createColumns,
  interpolateLinear,
  placePoint,
  type ClipColumns,
  type FramePatch,
  type LabelEdit
} from '@shared/project'

export const FRAMES = 2000
const pointOf = (f: number): { x: number; y: number } => ({ x: 100 + f * 0.5, y: 50 + (f % 300) + 0.25 })

/** Every frame labelled by a person: the state before the crash test's edits. */
export function startingEdit(): LabelEdit {
  const patches: FramePatch[] = Array.from({ length: FRAMES }, (_, f) => ({
    visibility: 'visible',
    ...pointOf(f),
    source: 'human',
    review: 'corrected',
    confidence: null
  }))
  return { kind: 'frames', from: 0, patches, what: 'Label every frame' }
}

/** The k-th edit after the start (0-based); three per round. */
export function rangeEdit(k: number): LabelEdit {
  const round = Math.floor(k / 3)
  const base = 30 + round * 60
  if (base + 40 >= FRAMES) throw new Error(`no edit ${k}: the clip has only ${FRAMES} frames`)
  if (k % 3 === 0) return clearFrames(base, base + 39)
  const mid = { x: 400 + round, y: 200 - round * 0.5 }
  if (k % 3 === 1) return placePoint(base + 20, mid.x, mid.y)
  const before = { frame: base - 1, ...pointOf(base - 1) }
  const points = interpolateLinear(before, { frame: base + 20, ...mid })
  const patches: FramePatch[] = points.map((p) => ({
    visibility: 'visible',
    x: p.x,
    y: p.y,
    source: 'interpolated',
    review: 'unreviewed',
    confidence: null
  }))
  return { kind: 'frames', from: base, patches, what: `Interpolate frames ${base}–${base + 19}` }
}

/** The labels after the starting edit and the first `count` range edits. */
export function expectedAfter(count: number): ClipColumns {
  const c = createColumns(FRAMES)
  applyEdit(c, startingEdit())
  for (let k = 0; k < count; k++) applyEdit(c, rangeEdit(k))
  return c
}
