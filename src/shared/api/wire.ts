// Runs everywhere (shared): the envelope of messages on every transport (WebSocket, MessagePort).
import { z } from 'zod'
import { ApiError } from './schemas'

export const RequestMessage = z.object({
  type: z.literal('request'),
  id: z.number().int().nonnegative(),
  method: z.string(),
  params: z.unknown()
})

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
