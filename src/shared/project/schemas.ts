// Runs everywhere (shared): the zod schemas of a label edit, the one value that changes labels. The contract
// (api/methods/project.ts) validates edits with these; the types below are inferred from them.
import { z } from 'zod'
import { REVIEWS, SOURCES, VISIBILITIES } from './frame-state'

/** Beyond this a coordinate is no pixel of any video (16K is 15360 wide); same bound as the CSV reader. */
export const MAX_COORDINATE = 100_000

const coordinate = z
  .number()
  .refine(Number.isFinite, 'a coordinate must be a finite number')
  .refine((v) => Math.abs(v) <= MAX_COORDINATE, `a coordinate must be within ±${MAX_COORDINATE} pixels`)
const frame = z.number().int('a frame is a whole number').nonnegative('frames count from 0')

/** Some fields of one frame's label; the fields left out are not touched. */
export const FramePatch = z.object({
  visibility: z.enum(VISIBILITIES).optional(),
  x: coordinate.optional(),
  y: coordinate.optional(),
  source: z.enum(SOURCES).optional(),
  review: z.enum(REVIEWS).optional(),
  confidence: z.number().min(0).max(1).nullable().optional()
})
export type FramePatch = z.infer<typeof FramePatch>

/**
 * A label edit. Two shapes:
 * - range: the same patch on every frame from..to (inclusive): mark not visible, accept, set review, clear;
 * - frames: one patch per frame, from, from+1, …: interpolation, imports, and the inverse of any edit (undo).
 * `what` names the edit for the undo history ("Move point", "Interpolate 12 frames"); it changes nothing.
 */
export const LabelEdit = z.union([
  z
    .object({
      kind: z.literal('range'),
      from: frame,
      to: frame,
      patch: FramePatch,
      what: z.string().max(200).optional()
    })
    .refine((e) => e.to >= e.from, 'a range ends at or after its start (to >= from)'),
  z.object({
    kind: z.literal('frames'),
    from: frame,
    patches: z.array(FramePatch).min(1).max(1_000_000),
    what: z.string().max(200).optional()
  })
])
export type LabelEdit = z.infer<typeof LabelEdit>
