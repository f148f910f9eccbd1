// Runs in Node (Vitest): opening one file many times (forty video.open calls, as a busy renderer makes) shares
// one open video: the same id, one set of ffmpeg processes, counted as they run. Each open is matched by one
// close; the video keeps serving frames until the last close, which stops every ffmpeg it started.
import { utimesSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { locateFfmpeg, type FfmpegInfo } from '../../../src/backend/ffmpeg/locate'
import { EventBus } from '../../../src/backend/rpc/event-bus'
import { VideoService } from '../../../src/backend/video/video-service'
import { runningCounts } from '../../../src/backend/video/child-processes'
import { VideoEngine } from '../../../src/backend/video/index'
import { WARM_SPARES } from '../../../src/backend/video/warm-decoder'
import { frameNumbersOfJpegs } from '../../helpers/jpeg-frames'
import { makeTestVideo } from '../../helpers/test-videos'
import { makeVideoTestDir, until } from '../../helpers/video-test-dir'

let ffmpeg: FfmpegInfo
const tmp = makeVideoTestDir('video-shared-open')
let file: string

beforeAll(async () => {
  ffmpeg = await locateFfmpeg()
  file = await makeTestVideo('cfr', tmp.dir) // 120 frames
})
afterAll(() => tmp.remove())

describe('opening a file that is open already', () => {
  it('forty concurrent opens share one video and its ffmpeg processes; the last close stops them', async () => {
    const bus = new EventBus()
    const states: string[] = []
    bus.subscribe((m) => m.event === 'video.state' && states.push((m.payload as { state: string }).state))
    const service = new VideoService(ffmpeg, null, path.join(tmp.dir, 'cache'), bus)
    const before = runningCounts.ffmpeg
    try {
      const opened = await Promise.all(Array.from({ length: 40 }, () => service.openVideo({ path: file })))
      const ids = new Set(opened.map((o) => o.videoId))
      expect(ids.size).toBe(1)
      const [videoId] = [...ids] as [string]
      // The warm decoder's waiting ffmpegs for the one video, not one set per open.
      expect(runningCounts.ffmpeg - before).toBe(WARM_SPARES)

      const jpeg = await service.frame(videoId, 37)
      expect(await frameNumbersOfJpegs([jpeg], 320, 240)).toEqual([37])
      // Decoding keeps within the per-video bound (warm + live + background + side decoders, and the keyframe
      // preview pass that starts a moment after the first frame is asked for).
      expect(runningCounts.ffmpeg - before).toBeLessThanOrEqual(6)

      for (let i = 0; i < 39; i++) expect(await service.closeVideo({ videoId })).toEqual({ closed: true })
      expect(states.filter((s) => s === 'closed')).toEqual([])
      const again = await service.frame(videoId, 90)
      expect(await frameNumbersOfJpegs([again], 320, 240)).toEqual([90])

      expect(await service.closeVideo({ videoId })).toEqual({ closed: true })
      expect(states.filter((s) => s === 'closed')).toEqual(['closed'])
      expect(await service.closeVideo({ videoId })).toEqual({ closed: false })
      await expect(service.frame(videoId, 1)).rejects.toThrow(/is not open/)
      await until(() => runningCounts.ffmpeg === before, 30_000, 'every ffmpeg of the video to exit')
    } finally {
      service.dispose()
    }
  })

  it('a file changed since it was opened opens as another video; the first stays usable', async () => {
    const engine = new VideoEngine({ ffmpeg, indexCacheDir: path.join(tmp.dir, 'cache') })
    try {
      const a = await engine.open(file)
      const b = await engine.open(file)
      expect(b.id).toBe(a.id)
      b.close()
      const t = new Date(Date.now() - 7_200_000)
      utimesSync(file, t, t)
      const c = await engine.open(file)
      expect(c.id).not.toBe(a.id)
      expect(await frameNumbersOfJpegs([await a.getFrame(5), await c.getFrame(6)], 320, 240)).toEqual([5, 6])
      // A closed lease is closed for its holder, whoever else holds the video.
      await expect(b.getFrame(5)).rejects.toMatchObject({ code: 'cancelled' })
    } finally {
      engine.closeAll()
    }
  })
})
