// Runs in Node (Vitest): the pictures a seek can show at once. After a video's first frame is asked for, its
// keyframes are decoded small in the background; a preview for frame n is then the nearest keyframe (the
// picture really is that frame: its drawn number says so, for every kind of test video), or a decoded frame
// nearer than that, or frame n itself once decoded. Asking for one never starts a decoder.
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { locateFfmpeg, type FfmpegInfo } from '../../../src/backend/ffmpeg/locate'
import { spawnCounts } from '../../../src/backend/video/child-processes'
import { VideoEngine } from '../../../src/backend/video/index'
import type { HandleLease } from '../../../src/backend/video/handle-lease'
import { PREVIEW_LONG_SIDE } from '../../../src/backend/video/keyframe-previews'
import { frameNumbersOfJpegs } from '../../helpers/jpeg-frames'
import { makeTestVideo, TEST_VIDEO_FACTS } from '../../helpers/test-videos'
import { makeVideoTestDir } from '../../helpers/video-test-dir'

const KINDS = ['cfr', 'vfr', 'bframes', 'start-offset', 'rotated'] as const
let ffmpeg: FfmpegInfo
const tmp = makeVideoTestDir('keyframe-previews')

beforeAll(async () => {
  ffmpeg = await locateFfmpeg()
})
afterAll(() => tmp.remove())

async function withVideo(
  file: string,
  fn: (h: HandleLease) => Promise<void>,
  opts: { readAhead?: number } = {}
): Promise<void> {
  const engine = new VideoEngine({ ffmpeg, indexCacheDir: path.join(tmp.dir, 'cache'), ...opts })
  try {
    await fn((await engine.open(file)) as HandleLease)
  } finally {
    engine.closeAll()
  }
}

/** Asks for frame 0 (which starts the pass) and waits for the pass to end. */
async function previewsBuilt(h: HandleLease): Promise<void> {
  await h.getFrame(0)
  await expect.poll(() => h.stats().previews.state, { timeout: 30_000 }).toMatch(/ready|failed|not-needed/)
}

describe.each(KINDS)('%s', (kind) => {
  const { frames, gop } = TEST_VIDEO_FACTS[kind]

  it('a frame far from anything decoded gets its nearest keyframe, and the picture is that frame', async () => {
    const file = await makeTestVideo(kind, tmp.dir)
    await withVideo(
      file,
      async (h) => {
        await previewsBuilt(h)
        expect(h.stats().previews.state).toBe('ready')
        expect(h.stats().previews.count).toBe(Math.ceil(frames / gop))
        // Away from frame 0 and the few frames read ahead of it.
        const asked = [gop + 3, 2 * gop - 4, frames - 1].filter((n) => n > 10 && n < frames)
        const started = spawnCounts.ffmpeg
        const previews = asked.map((n) => h.preview(n)!)
        expect(spawnCounts.ffmpeg).toBe(started)
        const nearestKey = (n: number): number =>
          Math.min(Math.round(n / gop) * gop, (Math.ceil(frames / gop) - 1) * gop)
        expect(previews.map((p) => p.frame)).toEqual(asked.map(nearestKey))
        const { width, height } = h.info
        const drawn = await frameNumbersOfJpegs(
          previews.map((p) => p.bytes),
          width,
          height
        )
        expect(drawn).toEqual(previews.map((p) => p.frame))
      },
      { readAhead: 4 }
    )
  })
})

it('a large picture is previewed small, and a decoded frame nearer than the keyframe wins', async () => {
  const file = await makeTestVideo('cfr', tmp.dir, { name: 'big.mp4', width: 1280, height: 720 })
  await withVideo(
    file,
    async (h) => {
      await previewsBuilt(h)
      const p = h.preview(40)!
      expect(p.frame).toBe(30)
      const [drawn] = await frameNumbersOfJpegs([p.bytes], PREVIEW_LONG_SIDE, 360)
      expect(drawn).toBe(30)
      // Frame 44 decoded (and cached) at full size: 43 is nearer to it than keyframe 30 is to 43.
      await h.getFrame(44)
      const near = h.preview(43)!
      expect(near.frame).toBe(44)
      expect(await frameNumbersOfJpegs([near.bytes], 1280, 720)).toEqual([44])
      // Once decoded, the frame asked for is its own preview.
      expect(h.preview(44)!.frame).toBe(44)
    },
    { readAhead: 4 }
  )
})

it('an all-intra video needs no previews: every frame decodes alone', async () => {
  const file = await makeTestVideo('intra', tmp.dir)
  await withVideo(file, async (h) => {
    await previewsBuilt(h)
    expect(h.stats().previews).toMatchObject({ state: 'not-needed', count: 0 })
    expect(h.preview(50)).toBeNull()
  })
})

it('a closed video has no previews, and its pass is stopped', async () => {
  const file = await makeTestVideo('cfr', tmp.dir)
  await withVideo(file, async (h) => {
    await previewsBuilt(h)
    h.close()
    expect(h.preview(60)).toBeNull()
  })
})
