// Runs in Node (Vitest): a seek right after another still finds a started ffmpeg waiting. Two far-apart frames
// asked for in the same moment (a click on the timeline, then another before the first frame came) are both
// served by processes that were waiting before either request, not by a fresh ffmpeg start, and both exact.
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { locateFfmpeg, type FfmpegInfo } from '../../../src/backend/ffmpeg/locate'
import { streamCounts } from '../../../src/backend/video/frame-stream'
import { VideoEngine } from '../../../src/backend/video/index'
import { frameNumbersOfJpegs } from '../../helpers/jpeg-frames'
import { makeTestVideo, TEST_VIDEO_FACTS } from '../../helpers/test-videos'
import { makeVideoTestDir } from '../../helpers/video-test-dir'

let ffmpeg: FfmpegInfo
let video: string
const tmp = makeVideoTestDir('video-warm-spares')

beforeAll(async () => {
  ffmpeg = await locateFfmpeg()
  video = await makeTestVideo('bframes', tmp.dir)
})
afterAll(() => tmp.remove())

describe('warm decoders', () => {
  it('serve two seeks asked for at once, each from a process started before them', async () => {
    const engine = new VideoEngine({ ffmpeg, indexCacheDir: path.join(tmp.dir, 'cache') })
    try {
      const h = await engine.open(video)
      const last = TEST_VIDEO_FACTS.bframes.frames - 1
      const warm = streamCounts.warm
      const cold = streamCounts.cold
      const wanted = [37, last - 5]
      const jpegs = await Promise.all(wanted.map((n) => h.getFrame(n)))
      expect(await frameNumbersOfJpegs(jpegs, h.info.width, h.info.height)).toEqual(wanted)
      expect(streamCounts.warm - warm).toBe(2)
      expect(streamCounts.cold - cold).toBe(0)
    } finally {
      engine.closeAll()
    }
  })
})
