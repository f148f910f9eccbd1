// Runs in Node (Vitest): properties of the request envelope (src/shared/api/wire.ts) and its dispatch
// (src/backend/rpc/dispatch.ts): whatever arrives on the wire, the answer is one well-formed response that
// survives JSON and names the request's id when it had a usable one; never an exception. Fixed seeds.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { dispatch } from '../../../src/backend/rpc/dispatch'
import type { Handlers } from '../../../src/backend/rpc/handlers'
import { methods } from '@shared/api/contract'
import { ResponseMessage, ServerMessage } from '@shared/api/wire'

/** Every method answers with an exception, so a request that gets past validation is seen to be answered too. */
const handlers = new Proxy({} as Handlers, {
  get: () => async () => {
    throw new Error('no service behind this test')
  }
})

const METHOD_NAMES = Object.keys(methods)

/** What a client, a stale renderer or a stranger on the port might send, as the server sees it after JSON.parse. */
const idValue = fc.oneof(
  fc.nat(),
  fc.integer({ min: -5, max: -1 }),
  fc.double(),
  // JSON.parse('1e400') is Infinity.
  fc.constantFrom(2 ** 53, 2 ** 53 + 2, Number.MAX_VALUE, JSON.parse('1e400') as number),
  fc.string({ maxLength: 4 }),
  fc.constant(null)
)
const methodName = fc.oneof(
  fc.constantFrom(...METHOD_NAMES),
  fc.constantFrom('', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'app.info ', 'APP.INFO'),
  fc.string({ maxLength: 30 })
)
const params = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 }),
  fc.constant(undefined)
)
const envelopeLike = fc.record(
  {
    type: fc.oneof(fc.constant('request'), fc.jsonValue({ maxDepth: 1 })),
    id: idValue,
    method: fc.oneof(methodName, fc.jsonValue({ maxDepth: 1 })),
    params
  },
  { requiredKeys: [] }
)

/** The reply as the client reads it: one JSON text, parsed and checked against the contract's envelope. */
function expectWellFormed(response: unknown): void {
  expect(ResponseMessage.safeParse(response).success, JSON.stringify(response)).toBe(true)
  const overTheWire: unknown = JSON.parse(JSON.stringify(response))
  expect(ServerMessage.safeParse(overTheWire).success).toBe(true)
  expect(overTheWire).toEqual(response)
  const r = response as ResponseMessage
  if (!r.ok) expect(r.error.message.length).toBeGreaterThan(0)
}

describe('request dispatch', () => {
  it('a well-formed envelope with any method name and any params gets its own id back, never a throw', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), methodName, params, async (id, method, p) => {
        const response = await dispatch(handlers, { type: 'request', id, method, params: p })
        expectWellFormed(response)
        expect(response.id).toBe(id)
        expect(response.ok).toBe(false)
        if (!Object.hasOwn(methods, method) && !response.ok) {
          expect(response.error.code).toBe(method === '' ? 'bad-request' : 'unknown-method')
        }
      }),
      { seed: 601, numRuns: 400 }
    )
  })

  it('anything at all on the wire gets one well-formed answer that survives JSON', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(envelopeLike, fc.jsonValue({ maxDepth: 3 })), async (raw) => {
        const response = await dispatch(handlers, raw)
        expectWellFormed(response)
        const id = (raw as { id?: unknown } | null)?.id
        if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) expect(response.id).toBe(id)
      }),
      { seed: 602, numRuns: 400 }
    )
  })

  it('ten thousand levels of nesting, as the request or as its params, are refused in words', async () => {
    let deep: unknown = {}
    for (let i = 0; i < 10_000; i++) deep = { a: [deep] }
    for (const raw of [deep, { type: 'request', id: 1, method: 'app.info', params: deep }]) {
      const response = await dispatch(handlers, raw)
      expectWellFormed(response)
      expect(response.ok).toBe(false)
    }
  })
})
