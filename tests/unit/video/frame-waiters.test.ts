// Runs in Node (Vitest): every frame request ends. Requests for far-apart frames made at once all arrive (each
// the exact frame), whatever their order; a decoder that never outputs makes a request fail with a clear
// message after the engine's wait limit instead of hanging. No timing assertions.
import { chmodSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiError } from '@shared/api/errors'
import { locateFfmpeg, type FfmpegInfo } from '../../../src/backend/ffmpeg/locate'
import { VideoEngine } from '../../../src/backend/video/index'
import type { HandleStats } from '../../../src/backend/video/video-handle'
import { frameNumbersOfJpegs } from '../../helpers/jpeg-frames'
import { makeTestVideo } from '../../helpers/test-videos'
import { makeVideoTestDir, until } from '../../helpers/video-test-dir'
import { shuffled } from '../support/shuffle'

let ffmpeg: FfmpegInfo
const tmp = makeVideoTestDir('video-waiters')
let file: string

beforeAll(async () => {
  ffmpeg = await locateFfmpeg()
  file = await makeTestVideo('bframes', tmp.dir) // 150 frames, 2 s GOP
})
afterAll(() => tmp.remove())

// The bounded wait is the last safety net; these tests check that decoders serve every request, so on a
// loaded machine they give it all the time their own limit allows.
const PATIENT = 600_000
const stats = (h: unknown): HandleStats => (h as { stats(): HandleStats }).stats()

describe('frame requests', () => {
  it('frames 100 and 10 requested at once both arrive', async () => {
    const engine = new VideoEngine({
      ffmpeg,
      indexCacheDir: path.join(tmp.dir, 'cache'),
      frameWaitMs: PATIENT
    })
    try {
      const h = await engine.open(file)
      const jpegs = await Promise.all([h.getFrame(100), h.getFrame(10)])
      expect(await frameNumbersOfJpegs(jpegs, h.info.width, h.info.height)).toEqual([100, 10])
    } finally {
      engine.closeAll()
    }
  })

  it('a burst of far-apart requests in any order all arrive exact; side decoders stop after', async () => {
    for (const seed of [1, 2]) {
      const engine = new VideoEngine({
        ffmpeg,
        indexCacheDir: path.join(tmp.dir, 'cache'),
        readAhead: 10,
        frameWaitMs: PATIENT
      })
      try {
        const h = await engine.open(file)
        const frames = shuffled([3, 41, 59, 60, 98, 133, 149, 110], seed)
        const jpegs = await Promise.all(frames.map((n) => h.getFrame(n)))
        expect(await frameNumbersOfJpegs(jpegs, h.info.width, h.info.height)).toEqual(frames)
        // Side decoders live for their requests only.
        await until(() => stats(h).side === 0, 30_000, 'the side decoders to stop')
      } finally {
        engine.closeAll()
      }
    }
  }, 300_000)

  it('a request waiting on a background block is served when a jump stops that block', async () => {
    const engine = new VideoEngine({
      ffmpeg,
      indexCacheDir: path.join(tmp.dir, 'cache'),
      frameWaitMs: PATIENT
    })
    try {
      const h = await engine.open(file)
      h.prefetch(66, 'backward') // a short block before 66 starts in the background
      const waiting = h.getFrame(60) // comes next from that block: no decoder of its own
      h.prefetch(140, 'backward') // the user jumps: the block near 66 is stale and stopped
      expect(await frameNumbersOfJpegs([await waiting], h.info.width, h.info.height)).toEqual([60])
    } finally {
      engine.closeAll()
    }
  })

  it('a request the decoder never answers fails after the wait limit, naming the frame', async () => {
    // An "ffmpeg" that starts and then outputs nothing, as one stuck on a dead network drive would.
    const stuck = path.join(tmp.dir, 'stuck-ffmpeg.sh')
    writeFileSync(stuck, '#!/bin/sh\nexec sleep 600\n')
    chmodSync(stuck, 0o755)
    const engine = new VideoEngine({
      ffmpeg: { ...ffmpeg, ffmpegPath: stuck },
      indexCacheDir: path.join(tmp.dir, 'cache'),
      warmDecoder: false,
      frameWaitMs: 300
    })
    try {
      const h = await engine.open(file)
      const failures = await Promise.all([h.getFrame(70), h.getFrame(7)].map((p) => p.catch((e) => e)))
      for (const [i, n] of [70, 7].entries()) {
        const e = failures[i] as ApiError
        expect(e).toBeInstanceOf(ApiError)
        expect(e.code).toBe('io')
        expect(e.message).toContain(`Frame ${n} of bframes.mp4 was not decoded within`)
      }
      h.close()
      expect(stats(h).children).toBe(0)
    } finally {
      engine.closeAll()
    }
  })
})
