// Runs in Node (Vitest): the background pass of a clip too long to keep in memory but short enough to read
// through (tracking/frame-source.ts) scales and pipes only its 63 samples, and its median is the one the full
// read of every frame gives: same samples, same pictures, same bytes.
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { locateFfmpeg, type FfmpegInfo } from '../../../src/backend/ffmpeg/locate'
import { backgroundSampleFrames } from '../../../src/backend/tracking/background'
import { medianPicture } from '../../../src/shared/median-picture'
import { medianBackground, sampleBySeeks } from '../../../src/backend/tracking/frame-source'
import { readFramesScaled } from '../../../src/backend/video/index'
import { letterbox } from '../../../src/shared/heatmap'
import { makeTestVideo } from '../../helpers/test-videos'
import { makeVideoTestDir } from '../../helpers/video-test-dir'

// 4:3 at 64×48 letterboxes to 384×288: 331,776 bytes a frame, so 900 frames (about 285 MiB) are not kept.
const FRAMES = 900
let ffmpeg: FfmpegInfo
let video: string
const tmp = makeVideoTestDir('background-pass')

beforeAll(async () => {
  ffmpeg = await locateFfmpeg()
  video = await makeTestVideo('cfr', tmp.dir, { frames: FRAMES, width: 64, height: 48, gop: 50 })
}, 120_000)
afterAll(() => tmp.remove())

describe('background pass of a clip too long to keep', () => {
  it('reads only the samples, and its median is the full read’s', async () => {
    const lb = letterbox({ width: 64, height: 48 }, { width: 512, height: 288 })
    const indexCacheDir = path.join(tmp.dir, 'index')
    const progress: [number, number][] = []
    const facts = { frameCount: FRAMES, keyframeCount: FRAMES / 50 }
    const bg = await medianBackground(video, lb, facts, { ffmpeg, indexCacheDir }, (a, b) =>
      progress.push([a, b])
    )
    expect(bg.frames, 'a clip this long is not kept').toBeNull()
    const wanted = backgroundSampleFrames(FRAMES)
    expect(progress.length).toBe(wanted.length)
    expect(progress[progress.length - 1]).toEqual([wanted.length, wanted.length])

    const samples: Uint8Array[] = []
    const size = { width: lb.scaledWidth, height: lb.scaledHeight, indexCacheDir }
    for await (const f of readFramesScaled(ffmpeg, video, size))
      if (wanted.includes(f.frame)) samples.push(f.rgb)
    expect(samples.length).toBe(wanted.length)
    expect(Buffer.from(bg.picture).equals(Buffer.from(medianPicture(samples)))).toBe(true)
  }, 120_000)

  it('samples the longest clips by one seek each, to the same median', async () => {
    // Every frame a keyframe and 3,300 of them: seeks decode less than a pass (sampleBySeeks), so each sample is
    // its own short ffmpeg; the pictures it keeps are the reader's own, uncopied, and must stay intact.
    const n = 3300
    const intra = await makeTestVideo('cfr', tmp.dir, {
      frames: n,
      width: 64,
      height: 48,
      gop: 1,
      name: 'all-key.mp4'
    })
    const lb = letterbox({ width: 64, height: 48 }, { width: 512, height: 288 })
    const indexCacheDir = path.join(tmp.dir, 'index')
    expect(sampleBySeeks(n, n)).toBe(true)
    const bg = await medianBackground(
      intra,
      lb,
      { frameCount: n, keyframeCount: n },
      { ffmpeg, indexCacheDir }
    )
    expect(bg.frames).toBeNull()
    const wanted = backgroundSampleFrames(n)
    const samples: Uint8Array[] = []
    const onePass = { width: lb.scaledWidth, height: lb.scaledHeight, indexCacheDir, only: wanted }
    for await (const f of readFramesScaled(ffmpeg, intra, onePass)) samples.push(f.rgb)
    expect(samples.length).toBe(wanted.length)
    expect(Buffer.from(bg.picture).equals(Buffer.from(medianPicture(samples)))).toBe(true)
  }, 180_000)

  it('is one pass unless seeks decode less: longer for long GOPs, shorter for all-keyframe clips', () => {
    // 2 s GOPs at 30 fps: a pass up to about 5,000 frames (measured: 2,000 frames 3.9 s by a pass, 9.8 s by seeks).
    expect(sampleBySeeks(2000, 34)).toBe(false)
    expect(sampleBySeeks(4500, 75)).toBe(false)
    expect(sampleBySeeks(6000, 100)).toBe(true)
    // A 10 s GOP makes each seek decode 150 frames on average: a pass is cheaper up to about 12,400.
    expect(sampleBySeeks(10_000, 34)).toBe(false)
    // Every frame a keyframe: a seek decodes one frame, so seeks win from about 3,200.
    expect(sampleBySeeks(3000, 3000)).toBe(false)
    expect(sampleBySeeks(3300, 3300)).toBe(true)
    // An hour of broadcast video is always sampled by seeks, whatever its GOP.
    expect(sampleBySeeks(108_000, 108_000 / 60)).toBe(true)
    expect(sampleBySeeks(108_000, 108_000 / 300)).toBe(true)
  })
})
