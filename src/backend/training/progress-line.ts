// Runs in the backend (plain Node): reads the training package's JSON-lines progress stream. A line that is
// not JSON (a library's warning on stdout) is kept as text, never fatal.
import { z } from 'zod'

export const ProgressLine = z
  .object({
    event: z.string(),
    step: z.number().optional(),
    epoch: z.number().optional(),
    loss: z.number().optional(),
    f1: z.number().optional(),
    F1: z.number().optional(),
    message: z.string().optional(),
    file: z.string().optional()
  })
  .passthrough()

export type ProgressLine = z.infer<typeof ProgressLine>

export function parseProgressLine(line: string): ProgressLine | { text: string } {
  const trimmed = line.trim()
  if (!trimmed.startsWith('{')) return { text: trimmed }
  try {
    const parsed = ProgressLine.safeParse(JSON.parse(trimmed))
    return parsed.success ? parsed.data : { text: trimmed }
  } catch {
    return { text: trimmed }
  }
}
