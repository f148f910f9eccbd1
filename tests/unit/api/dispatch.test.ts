// Runs in Node (Vitest): every request is validated on arrival and every result before it leaves; errors come
// back with a code and a readable message, never as a thrown exception across the boundary.
import { describe, expect, it } from 'vitest'
import { dispatch } from '../../../src/backend/rpc/dispatch'
import { ApiError } from '@shared/api/errors'
import type { Handlers } from '../../../src/backend/rpc/handlers'

const fail = (): never => {
  throw new Error('not under test')
}
function handlers(overrides: Partial<Handlers>): Handlers {
  return {
    'app.info': fail,
    'video.open': fail,
    'video.close': fail,
    'video.frameTimes': fail,
    'video.prefetch': fail,
    'fs.list': fail,
    ...overrides
  } as Handlers
}

describe('dispatch', () => {
  it('refuses a request that is not an envelope', async () => {
    const r = await dispatch(handlers({}), { hello: 1 })
    expect(r).toMatchObject({ ok: false, error: { code: 'bad-request' } })
  })

  it('says what is wrong with an envelope in plain words, naming the method and the field', async () => {
    const noId = await dispatch(handlers({}), { type: 'request', method: 'project.renameMatch', params: {} })
    const msg = noId.ok ? '' : noId.error.message
    expect(msg).toBe('Malformed request to project.renameMatch: id: is missing (give a number).')
    const badId = await dispatch(handlers({}), { type: 'request', id: 1.5, method: 'app.info' })
    expect(badId.ok ? '' : badId.error.message).toBe(
      'Malformed request to app.info: id: an id is a whole number.'
    )
    const notObject = await dispatch(handlers({}), [1, 2])
    expect(notObject.ok ? '' : notObject.error.message).toMatch(/^A request must be a JSON object such as \{/)
    for (const r of [noId, badId, notObject]) {
      expect(r.ok ? '' : r.error.message).not.toMatch(/nonoptional|received|Invalid input/)
    }
  })

  it('takes a request without params as one with the defaults', async () => {
    const r = await dispatch(
      handlers({
        'app.info': async () => ({
          version: 'v',
          host: 'cli',
          platform: 'p',
          ffmpeg: null,
          ffmpegProblem: null,
          demoVideo: null
        })
      }),
      { type: 'request', id: 2, method: 'app.info' }
    )
    expect(r).toMatchObject({ id: 2, ok: true })
  })

  it("names a bad or missing param and what it should be, not zod's words", async () => {
    const r = await dispatch(handlers({}), {
      type: 'request',
      id: 3,
      method: 'video.frameTimes',
      params: { videoId: 'v1', from: 'ten' }
    })
    expect(r.ok ? '' : r.error.message).toBe(
      'video.frameTimes: from: should be a number, not text; count: is missing (give a number)'
    )
    const notObject = await dispatch(handlers({}), {
      type: 'request',
      id: 4,
      method: 'video.close',
      params: 7
    })
    expect(notObject.ok ? '' : notObject.error.message).toBe(
      'video.close: params should be an object ({…}), not number 7'
    )
  })

  it('refuses an unknown method by name', async () => {
    const r = await dispatch(handlers({}), { type: 'request', id: 3, method: 'video.delete', params: {} })
    expect(r).toMatchObject({ id: 3, ok: false, error: { code: 'unknown-method' } })
    expect(r.ok ? '' : r.error.message).toContain('video.delete')
  })

  it('names the bad field of invalid params', async () => {
    const r = await dispatch(handlers({}), {
      type: 'request',
      id: 4,
      method: 'video.frameTimes',
      params: { videoId: 'v1', from: -2, count: 10 }
    })
    expect(r.ok).toBe(false)
    expect(r.ok ? '' : r.error.message).toMatch(/^video\.frameTimes: from:/)
  })

  it('refuses a video id that could be a path', async () => {
    const r = await dispatch(handlers({}), {
      type: 'request',
      id: 5,
      method: 'video.close',
      params: { videoId: '../etc' }
    })
    expect(r).toMatchObject({ ok: false, error: { code: 'bad-request' } })
  })

  it('passes the parsed params to the handler and returns its result', async () => {
    let seen: unknown
    const r = await dispatch(
      handlers({
        'video.close': async (p) => {
          seen = p
          return { closed: true }
        }
      }),
      { type: 'request', id: 6, method: 'video.close', params: { videoId: 'abc-1' } }
    )
    expect(seen).toEqual({ videoId: 'abc-1' })
    expect(r).toEqual({ type: 'response', id: 6, ok: true, result: { closed: true } })
  })

  it('keeps an ApiError code and turns any other exception into an internal error', async () => {
    const coded = await dispatch(
      handlers({
        'video.open': async () => {
          throw new ApiError('not-a-video', 'x.txt is not a video')
        }
      }),
      { type: 'request', id: 7, method: 'video.open', params: { path: 'x.txt' } }
    )
    expect(coded).toMatchObject({
      ok: false,
      error: { code: 'not-a-video', message: 'x.txt is not a video' }
    })
    const plain = await dispatch(
      handlers({
        'video.open': async () => {
          throw new TypeError('boom')
        }
      }),
      { type: 'request', id: 8, method: 'video.open', params: { path: 'y' } }
    )
    expect(plain).toMatchObject({ ok: false, error: { code: 'internal', message: 'boom' } })
  })

  it('refuses to send a result the contract does not allow', async () => {
    const r = await dispatch(
      handlers({ 'video.close': async () => ({ closed: 'yes' }) as unknown as { closed: boolean } }),
      { type: 'request', id: 9, method: 'video.close', params: { videoId: 'abc' } }
    )
    expect(r).toMatchObject({ ok: false, error: { code: 'internal' } })
  })
})
