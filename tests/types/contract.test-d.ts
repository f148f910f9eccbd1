// Runs at type-check time (vitest typecheck): the API contract is implemented and exposed exactly — a method
// declared but not implemented, or implemented but not declared, fails here.
import { expectTypeOf, test } from 'vitest'
import type { MethodName, Params, Result } from '../../src/shared/api/contract'
import type { Handlers } from '../../src/backend/rpc/handlers'
import type { Backend } from '../../src/backend/services'
import type { ShuttleBridge } from '../../src/preload/bridge'

test('the backend implements every contract method and nothing else', () => {
  expectTypeOf<keyof Backend['handlers']>().toEqualTypeOf<MethodName>()
  expectTypeOf<Backend['handlers']>().toEqualTypeOf<Handlers>()
})

test('the preload exposes every contract method and nothing else', () => {
  expectTypeOf<keyof ShuttleBridge['api']>().toEqualTypeOf<MethodName>()
  expectTypeOf<ShuttleBridge['api']['video.open']>().parameters.toEqualTypeOf<[Params<'video.open'>]>()
  expectTypeOf<ShuttleBridge['api']['video.open']>().returns.resolves.toEqualTypeOf<Result<'video.open'>>()
})

test('a handler set with a missing or an extra method does not compile', () => {
  const info = async (): Promise<Result<'app.info'>> => {
    throw new Error('not called')
  }
  // @ts-expect-error every method but app.info is missing
  const missing: Handlers = { 'app.info': info }
  expectTypeOf(missing).toEqualTypeOf<Handlers>()
  const full = {} as Handlers
  // @ts-expect-error 'video.delete' is not in the contract
  const extra: Handlers = { ...full, 'video.delete': info }
  expectTypeOf(extra).toEqualTypeOf<Handlers>()
})
