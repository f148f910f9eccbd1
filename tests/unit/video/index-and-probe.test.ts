// Runs in Node (Vitest): what the engine learns about each test video (sizes, rotation, timing, keyframes),
// and that the frame index is cached on disk and reused without running ffprobe again.
import { readdirSync, statSync, utimesSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { VideoInfo } from '@shared/api/schemas'
import { locateFfmpeg, type FfmpegInfo } from '../../../src/backend/ffmpeg/locate'
import { spawnCounts } from '../../../src/backend/video/child-processes'
import { VideoEngine } from '../../../src/backend/video/index'
import { makeTestVideo, TEST_VIDEO_FACTS } from '../../helpers/test-videos'
import { makeVideoTestDir } from '../../helpers/video-test-dir'

const KINDS = Object.keys(TEST_VIDEO_FACTS) as (keyof typeof TEST_VIDEO_FACTS)[]
let ffmpeg: FfmpegInfo
const tmp = makeVideoTestDir('video-index')
const videos = new Map<string, string>()

beforeAll(async () => {
  ffmpeg = await locateFfmpeg()
  for (const k of KINDS) videos.set(k, await makeTestVideo(k, tmp.dir))
})
afterAll(() => tmp.remove())

describe('probe and index', () => {
  for (const kind of KINDS) {
    it(`${kind}: exact frame count, timing, rotation and keyframes`, async () => {
      const facts = TEST_VIDEO_FACTS[kind]
      const engine = new VideoEngine({ ffmpeg, indexCacheDir: path.join(tmp.dir, 'cache-probe') })
      const h = await engine.open(videos.get(kind)!)
      try {
        const info = h.info
        expect(VideoInfo.parse(info)).toEqual(info)
        expect(h.id).toMatch(/^[a-z0-9-]{1,64}$/)
        expect(info.frameCount).toBe(facts.frames)
        expect(info.rotation).toBe(facts.rotation)
        expect(info.startTime).toBeCloseTo(facts.startTime, 1)
        expect(h.frameTime(0)).toEqual({ frame: 0, time: 0, keyframe: true })
        expect(info.keyframeCount).toBe(Math.ceil(facts.frames / facts.gop))
        if (facts.gop > 1) expect(h.frameTime(facts.gop).keyframe).toBe(true)
        if (facts.gop > 1) expect(h.frameTime(facts.gop - 1).keyframe).toBe(false)
        if (facts.fps) {
          expect(info.variableFrameRate).toBe(false)
          expect(info.fps).toBeCloseTo(facts.fps, 3)
          expect(h.frameTime(10).time).toBeCloseTo(10 / facts.fps, 4)
          expect(info.duration).toBeCloseTo(facts.frames / facts.fps, 3)
        } else {
          // vfr: pts = (N + 0.4 (N mod 3)) / 30
          expect(info.variableFrameRate).toBe(true)
          for (const n of [1, 2, 3, 10, 11, 59])
            expect(h.frameTime(n).time).toBeCloseTo((n + 0.4 * (n % 3)) / 30, 4)
        }
        if (kind === 'rotated') {
          expect([info.width, info.height, info.codedWidth, info.codedHeight]).toEqual([240, 320, 320, 240])
        } else {
          expect([info.width, info.height]).toEqual([320, 240])
        }
      } finally {
        engine.closeAll()
      }
    })
  }
})

describe('index cache on disk', () => {
  it('reuses the index on a second open without ffprobe, and rebuilds when the file changes', async () => {
    const cacheDir = path.join(tmp.dir, 'cache-reuse')
    const file = videos.get('bframes')!
    const first = new VideoEngine({ ffmpeg, indexCacheDir: cacheDir })
    const before = spawnCounts.ffprobe
    const a = await first.open(file)
    expect(spawnCounts.ffprobe).toBeGreaterThan(before)
    first.closeAll()

    const files = readdirSync(cacheDir).filter((f) => f.endsWith('.vidx'))
    expect(files).toHaveLength(1) // and no temporary file left behind
    expect(readdirSync(cacheDir)).toHaveLength(1)
    expect(statSync(path.join(cacheDir, files[0]!)).size).toBeLessThan(4096)

    const second = new VideoEngine({ ffmpeg, indexCacheDir: cacheDir })
    const mid = spawnCounts.ffprobe
    const b = await second.open(file)
    expect(spawnCounts.ffprobe).toBe(mid)
    expect(b.info).toEqual(a.info)
    for (const n of [0, 59, 60, 61, 149]) expect(b.frameTime(n)).toEqual(a.frameTime(n))
    second.closeAll()

    // A changed mtime means another file: indexed again.
    const t = new Date(Date.now() - 3_600_000)
    utimesSync(file, t, t)
    const third = new VideoEngine({ ffmpeg, indexCacheDir: cacheDir })
    const c = await third.open(file)
    expect(spawnCounts.ffprobe).toBeGreaterThan(mid)
    expect(c.info.frameCount).toBe(150)
    third.closeAll()
  })
})
