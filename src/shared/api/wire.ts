// Runs everywhere (shared): the envelope of messages on every transport (WebSocket, MessagePort), and what a
// sender is told when its envelope is wrong: the method (when it could be read) and each bad field, in words.
import { z } from 'zod'
import { plainIssues } from './plain-issues'
import { ApiError } from './schemas'

export const RequestMessage = z.object({
  type: z.literal('request'),
  id: z.number().int('an id is a whole number').nonnegative('an id is 0 or more'),
  method: z.string().min(1, 'give a method name such as "app.info"'),
  /** Left out: the method's defaults ({}). */
  params: z.unknown().optional()
})

const EXAMPLE = '{"type":"request","id":1,"method":"app.info","params":{}}'

/** Why `raw` is not a request envelope, in words that name the method (when readable) and each bad field. */
export function describeEnvelopeProblem(raw: unknown): string {
  const r = RequestMessage.safeParse(raw)
  if (r.success) return ''
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return `A request must be a JSON object such as ${EXAMPLE}.`
  }
  const method = (raw as { method?: unknown }).method
  const to = typeof method === 'string' && method ? ` to ${method.slice(0, 80)}` : ''
  return `Malformed request${to}: ${plainIssues(r.error.issues, raw)}.`
}

/** The id to answer a malformed request with: its own when it has a usable one, else 0. */
export function envelopeId(raw: unknown): number {
  const id = (raw as { id?: unknown } | null)?.id
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : 0
}

export const ResponseMessage = z.union([
  z.object({ type: z.literal('response'), id: z.number().int(), ok: z.literal(true), result: z.unknown() }),
  z.object({ type: z.literal('response'), id: z.number().int(), ok: z.literal(false), error: ApiError })
])

export const EventMessage = z.object({ type: z.literal('event'), event: z.string(), payload: z.unknown() })

export const ServerMessage = z.union([ResponseMessage, EventMessage])

export type RequestMessage = z.infer<typeof RequestMessage>
export type ResponseMessage = z.infer<typeof ResponseMessage>
export type EventMessage = z.infer<typeof EventMessage>
export type ServerMessage = z.infer<typeof ServerMessage>
