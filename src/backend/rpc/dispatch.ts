// Runs in the backend (plain Node): the one place a request from any host (WebSocket, MessagePort, CLI)
// is validated, dispatched and answered. Params are checked on arrival and results before they leave,
// so a bug in a service cannot send the renderer a value the contract does not allow.
import { isMethodName, methods, type MethodName } from '../../shared/api/contract'
import { ApiError } from '../../shared/api/errors'
import { plainIssues } from '../../shared/api/plain-issues'
import {
  describeEnvelopeProblem,
  envelopeId,
  RequestMessage,
  type ResponseMessage
} from '../../shared/api/wire'
import type { Handlers } from './handlers'

export async function dispatch(handlers: Handlers, raw: unknown): Promise<ResponseMessage> {
  const envelope = RequestMessage.safeParse(raw)
  if (!envelope.success) {
    return fail(envelopeId(raw), new ApiError('bad-request', describeEnvelopeProblem(raw)))
  }
  const { id, method, params } = envelope.data
  if (!isMethodName(method)) {
    return fail(id, new ApiError('unknown-method', `There is no method "${method}" in the studio's API.`))
  }
  try {
    const result = await call(handlers, method, params)
    return { type: 'response', id, ok: true, result }
  } catch (err) {
    return fail(id, err)
  }
}

async function call(handlers: Handlers, method: MethodName, rawParams: unknown): Promise<unknown> {
  const spec = methods[method]
  const input = rawParams ?? {}
  const parsed = spec.params.safeParse(input)
  if (!parsed.success) {
    throw new ApiError('bad-request', `${method}: ${plainIssues(parsed.error.issues, input, 'params')}`)
  }
  const handler = handlers[method] as (p: unknown) => Promise<unknown>
  const result = await handler(parsed.data)
  const checked = spec.result.safeParse(result)
  if (!checked.success) {
    throw new ApiError(
      'internal',
      `${method} produced an invalid result: ${plainIssues(checked.error.issues, result, 'the result')}`
    )
  }
  return checked.data
}

function fail(id: number, err: unknown): ResponseMessage {
  const error =
    err instanceof ApiError
      ? { code: err.code, message: err.message }
      : { code: 'internal' as const, message: err instanceof Error ? err.message : String(err) }
  return { type: 'response', id, ok: false, error }
}
