// Runs at type-check time (vitest typecheck): the API contract is implemented and exposed exactly — a method
// declared but not implemented, or implemented but not declared, fails here.
import { expectTypeOf, test } from 'vitest'
import type { EventPayload, MethodName, Params, Result } from '../../src/shared/api/contract'
import type { JobStateName } from '../../src/shared/api/methods/jobs'
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

test('every long job is cancelled by <domain>.cancel and speaks one state vocabulary', () => {
  type JobDomain = 'track' | 'evaluation' | 'training' | 'dataset'
  expectTypeOf<`${JobDomain}.cancel`>().toExtend<MethodName>()
  expectTypeOf<Params<`${JobDomain}.cancel`>>().toEqualTypeOf<{ jobId: string }>()
  expectTypeOf<Result<`${JobDomain}.cancel`>>().toEqualTypeOf<{ cancelled: boolean }>()
  // No other verb for it.
  expectTypeOf<Extract<MethodName, `${string}.stop` | `${string}.cancelExport`>>().toBeNever()
  type JobEvent = 'track.progress' | 'evaluation.progress' | 'training.update' | 'dataset.progress'
  expectTypeOf<EventPayload<JobEvent>['state']>().toEqualTypeOf<JobStateName>()
  expectTypeOf<Result<'track.result' | 'evaluation.result'>['state']>().toEqualTypeOf<JobStateName>()
})
