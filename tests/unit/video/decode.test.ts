// Runs in Node (Vitest): frame exactness, the promise of the engine. For every kind of test video, frame N
// returned by getFrame (or readFramesScaled) is the picture that has N drawn into it: random access,
// sequential reading, and stepping ±1/±10 both ways across GOP boundaries with prefetch hints.
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { locateFfmpeg, type FfmpegInfo } from '../../../src/backend/ffmpeg/locate'
import { streamCounts } from '../../../src/backend/video/frame-stream'
import { readFramesScaled, VideoEngine, type VideoHandle } from '../../../src/backend/video/index'
import { decodeFrameNumber } from '../../helpers/frame-pattern'
import { frameNumbersOfJpegs } from '../../helpers/jpeg-frames'
import { makeTestVideo, TEST_VIDEO_FACTS } from '../../helpers/test-videos'
import { makeVideoTestDir } from '../../helpers/video-test-dir'
import { shuffled } from '../support/shuffle'

const KINDS = Object.keys(TEST_VIDEO_FACTS) as (keyof typeof TEST_VIDEO_FACTS)[]
let ffmpeg: FfmpegInfo
const tmp = makeVideoTestDir('video-decode')
const videos = new Map<string, string>()

beforeAll(async () => {
  ffmpeg = await locateFfmpeg()
  for (const k of KINDS) videos.set(k, await makeTestVideo(k, tmp.dir))
})
afterAll(() => tmp.remove())

async function shown(h: VideoHandle, frames: number[], prefetch?: 'forward' | 'backward'): Promise<number[]> {
  const jpegs: Buffer[] = []
  for (const n of frames) {
    if (prefetch) h.prefetch(n, prefetch)
    jpegs.push(await h.getFrame(n))
  }
  return frameNumbersOfJpegs(jpegs, h.info.width, h.info.height)
}

async function withHandle(
  kind: string,
  fn: (h: VideoHandle) => Promise<void>,
  readAhead?: number
): Promise<void> {
  const engine = new VideoEngine({ ffmpeg, indexCacheDir: path.join(tmp.dir, 'cache'), readAhead })
  try {
    await fn(await engine.open(videos.get(kind)!))
  } finally {
    engine.closeAll()
  }
}

describe.each(KINDS)('%s', (kind) => {
  const { frames: count, gop } = TEST_VIDEO_FACTS[kind]
  const last = count - 1

  it('random access gives the exact frame', async () => {
    const retries = streamCounts.retry
    const warm = streamCounts.warm
    await withHandle(kind, async (h) => {
      const around = (k: number): number[] => [k - 2, k - 1, k, k + 1, k + 2]
      const wanted = [
        0,
        1,
        last,
        last - 1,
        ...around(gop),
        ...around(2 * gop),
        7,
        13,
        41,
        Math.floor(count / 2)
      ]
      const frames = shuffled([...new Set(wanted.filter((n) => n >= 0 && n <= last))], count)
      expect(await shown(h, frames)).toEqual(frames)
    })
    // The fast path is exact by itself, not rescued by the fallback (which starts a GOP earlier): except in
    // MPEG-TS, where ffmpeg's seek may land on the keyframe after the one asked for.
    if (kind !== 'start-offset') expect(streamCounts.retry).toBe(retries)
    expect(streamCounts.warm).toBeGreaterThan(warm)
  })

  it('sequential reading gives every frame in order', async () => {
    await withHandle(kind, async (h) => {
      const frames = Array.from({ length: count }, (_, i) => i)
      expect(await shown(h, frames)).toEqual(frames)
    })
  })

  it('stepping ±1 and ±10 both ways across GOP boundaries stays exact', async () => {
    // A small read-ahead makes the steps leave the live decoder's window and cross blocks more often.
    await withHandle(
      kind,
      async (h) => {
        const fwd: number[] = []
        for (let n = Math.max(0, gop - 5); n <= Math.min(last, gop + 5); n++) fwd.push(n)
        expect(await shown(h, fwd, 'forward')).toEqual(fwd)
        const back: number[] = []
        for (let n = Math.min(last, 2 * gop + 3); n >= Math.max(0, gop - 4); n--) back.push(n)
        expect(await shown(h, back, 'backward')).toEqual(back)
        const tens: number[] = []
        for (let n = 0; n <= last; n += 10) tens.push(n)
        for (let n = tens[tens.length - 1]! - 5; n >= 0; n -= 10) tens.push(n)
        expect(await shown(h, tens)).toEqual(tens)
      },
      8
    )
  })

  it('readFramesScaled numbers rgb frames the same way', async () => {
    const from = Math.min(gop + 1, last - 20)
    const got: number[] = []
    const drawn: number[] = []
    for await (const f of readFramesScaled(ffmpeg, videos.get(kind)!, {
      width: 160,
      height: 120,
      from,
      count: 20
    })) {
      got.push(f.frame)
      expect(f.rgb.length).toBe(160 * 120 * 3)
      drawn.push(decodeFrameNumber((x, y) => f.rgb[(y * 160 + x) * 3 + 1]!, 160, 120))
    }
    const want = Array.from({ length: 20 }, (_, i) => from + i)
    expect(got).toEqual(want)
    expect(drawn).toEqual(want)
  })

  it('readFramesScaled with only some frames gives exactly those, as the full read pictures them', async () => {
    const only = [...new Set([0, 1, gop - 1, gop, gop + 7, last - 1, last])].sort((a, b) => a - b)
    const size = { width: 160, height: 120 }
    const dense = new Map<number, Buffer>()
    for await (const f of readFramesScaled(ffmpeg, videos.get(kind)!, size))
      if (only.includes(f.frame)) dense.set(f.frame, f.rgb)
    const got: number[] = []
    const retries = streamCounts.retry
    for await (const f of readFramesScaled(ffmpeg, videos.get(kind)!, { ...size, only })) {
      got.push(f.frame)
      expect(decodeFrameNumber((x, y) => f.rgb[(y * 160 + x) * 3 + 1]!, 160, 120)).toBe(f.frame)
      expect(f.rgb.equals(dense.get(f.frame)!)).toBe(true)
    }
    expect(got).toEqual(only)
    expect(streamCounts.retry, 'the select let every sample through at the first try').toBe(retries)
  })
})
