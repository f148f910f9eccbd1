// Runs in the backend (plain Node): the JSON lines `python -m shuttle_training.adapt` prints on stdout, one
// object per line, checked with zod as they cross the process boundary. A line that is not one of these (a
// library's warning on stdout, a half-written line, an unknown event) comes back as text, never fatal.
import { z } from 'zod'

const count = z.number().int().nonnegative()
const seconds = z.number().nonnegative()
/** F1 in 0..1; null where there was nothing to measure it on. */
const f1 = z.number().min(0).max(1).nullable()

export const AdaptEvent = z.discriminatedUnion('event', [
  z.looseObject({ event: z.literal('start'), train_frames: count, held_frames: count, budget_s: seconds }),
  /** The base model's F1 on the held-back rows, before any training. */
  z.looseObject({ event: z.literal('baseline'), f1 }),
  z.looseObject({
    event: z.literal('step'),
    step: count,
    loss: z.number(),
    elapsed_s: seconds,
    budget_s: seconds
  }),
  z.looseObject({ event: z.literal('eval'), step: count, f1, best_f1: f1, elapsed_s: seconds }),
  z.looseObject({
    event: z.literal('exported'),
    file: z.string().min(1),
    f1,
    f1_before: f1,
    stopped: z.boolean()
  }),
  z.looseObject({ event: z.literal('error'), message: z.string(), code: z.number().int() }),
  /** Something a person should know that does not stop the run (a clip left out, a short budget). */
  z.looseObject({ event: z.literal('warning'), message: z.string(), file: z.string().optional() })
])

export type AdaptEvent = z.infer<typeof AdaptEvent>

export function parseAdaptLine(line: string): AdaptEvent | { text: string } {
  const text = line.trim()
  if (!text.startsWith('{')) return { text }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    return { text }
  }
  const parsed = AdaptEvent.safeParse(raw)
  return parsed.success ? parsed.data : { text }
}

/** An event, not a line of text (an event may carry a field named "text" of its own). */
export const isAdaptEvent = (e: AdaptEvent | { text: string }): e is AdaptEvent => 'event' in e
