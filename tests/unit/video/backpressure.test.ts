// Runs in Node (Vitest): the live decoder stays within its read-ahead window of the playhead (bounded memory),
// moves on when the playhead does, and a backward hint fills the block before the playhead. No timing
// assertions: the test waits for states, generously.
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { locateFfmpeg, type FfmpegInfo } from '../../../src/backend/ffmpeg/locate'
import { VideoEngine } from '../../../src/backend/video/index'
import type { Handle } from '../../../src/backend/video/video-handle'
import { makeTestVideo } from '../../helpers/test-videos'
import { makeVideoTestDir, until } from '../../helpers/video-test-dir'

let ffmpeg: FfmpegInfo
const tmp = makeVideoTestDir('video-backpressure')
let file: string

beforeAll(async () => {
  ffmpeg = await locateFfmpeg()
  file = await makeTestVideo('bframes', tmp.dir)
})
afterAll(() => tmp.remove())

describe('read-ahead and prefetch', () => {
  it('the live decoder pauses a window ahead of the playhead and resumes when it moves', async () => {
    const engine = new VideoEngine({ ffmpeg, indexCacheDir: path.join(tmp.dir, 'cache'), readAhead: 10 })
    const h = (await engine.open(file)) as Handle
    await h.getFrame(0)
    await until(() => h.stats().live?.paused === true, 30_000, 'the decoder to pause')
    let s = h.stats()
    expect(s.live!.ended).toBe(false)
    // It stops right after passing playhead + window; a pipe chunk may hold a few more small frames.
    expect(s.live!.next).toBeGreaterThanOrEqual(11)
    expect(s.live!.next).toBeLessThanOrEqual(20)
    expect(s.cachedFrames).toBeLessThanOrEqual(20)

    // Out of the window: a new decoder from 40. Unless the paused one already holds frames up to 40 in its
    // pipe (small frames, a fast ffmpeg): resumed, it hands them over at once, and serves 40 from them.
    await h.getFrame(40)
    await until(
      () => h.stats().live?.paused === true && h.stats().live!.next >= 50,
      30_000,
      'the decoder to pause a window past 40'
    )
    s = h.stats()
    const decoder = s.live!.from
    expect([0, 40]).toContain(decoder)
    expect(s.live!.next).toBeLessThanOrEqual(60)

    await h.getFrame(45) // within the window: same decoder, moves on
    await until(
      () => h.stats().live?.paused === true && h.stats().live!.next > 55,
      30_000,
      'the decoder to advance'
    )
    expect(h.stats().live!.from).toBe(decoder)
    expect(h.stats().live!.next).toBeLessThanOrEqual(65)
    engine.closeAll()
    expect(h.stats().children).toBe(0)
  })

  it('a backward hint decodes the block before the playhead', async () => {
    const engine = new VideoEngine({ ffmpeg, indexCacheDir: path.join(tmp.dir, 'cache'), readAhead: 10 })
    const h = (await engine.open(file)) as Handle
    const cached = (): number[] =>
      [65, 62, 58, 56].filter((n) => (engine as unknown as EngineCache).cache.has(h.id, n))
    await h.getFrame(66)
    h.prefetch(66, 'backward')
    await until(() => cached().length === 4, 30_000, 'frames 56..65 to be decoded')
    engine.closeAll()
  })

  it('the cache stays within its byte budget', async () => {
    const engine = new VideoEngine({
      ffmpeg,
      indexCacheDir: path.join(tmp.dir, 'cache'),
      cacheBytes: 64 * 1024
    })
    const h = await engine.open(file)
    for (let n = 0; n < 150; n += 3) await h.getFrame(n)
    expect(engine.cachedBytes).toBeLessThanOrEqual(64 * 1024)
    engine.closeAll()
  })
})

interface EngineCache {
  cache: { has(video: string, frame: number): boolean }
}
