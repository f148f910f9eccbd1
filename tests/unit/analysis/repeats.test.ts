// Runs in vitest (plain Node): the analysis of a video that shows every sixth picture twice. A synthetic rally's
// labels are its pictures (30 a second); the "video" shows them at 36 frames a second — the 5:6 cadence of a
// 25 → 30 fps broadcast conversion, exact here — so frame j shows picture ⌊5j/6⌋ and every sixth frame repeats
// the one before. Read frame by frame, the shuttle seems to stop on each repeat; given the repeated frames the
// analysis must find what it finds on the pictures themselves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { analyseTrack } from '@shared/analysis/analyse'
import { removeHit } from '@shared/analysis/hit-edits'
import { pictureOf, pictureTimeline, videoFrameOf } from '@shared/analysis/picture-time'
import type { Track } from '@shared/analysis/track'
import type { MatchAnalysis } from '@shared/analysis/types'
import { makeSynthClip, matchHits, removeClip, type SynthClip } from './synth-fixture'

let clip: SynthClip
let video: Track
let repeated: number[]
/** Frame of the video where picture k is first shown. */
let shownAt: number[]
const picture = (j: number): number => Math.floor((5 * j) / 6)

beforeAll(async () => {
  clip = await makeSynthClip(1, 30, 20)
  const n = Math.ceil((clip.track.visible.length * 6) / 5)
  const frames = [...Array(n).keys()].filter((j) => picture(j) < clip.track.visible.length)
  video = {
    fps: 36,
    visible: frames.map((j) => clip.track.visible[picture(j)]!),
    x: frames.map((j) => clip.track.x[picture(j)]!),
    y: frames.map((j) => clip.track.y[picture(j)]!)
  }
  repeated = frames.filter((j) => j > 0 && picture(j) === picture(j - 1))
  shownAt = []
  frames.forEach((j) => (shownAt[picture(j)] ??= j))
}, 120_000)

afterAll(() => removeClip(clip))

/** The truth in the video's frames. */
const truthHits = (): { frame: number }[] => clip.hits.map((h) => ({ frame: shownAt[Math.round(h.frame)]! }))

function analyse(withRepeats: boolean): MatchAnalysis {
  return analyseTrack({
    track: video,
    imageSize: clip.size,
    calibration: clip.calibration,
    repeatedFrames: withRepeats ? repeated : undefined
  })
}

describe('a video that repeats every sixth picture', () => {
  it('has false hits read frame by frame, and none beyond the pictures own given the repeated frames', () => {
    expect(repeated.length).toBeGreaterThan(100)
    expect(repeated.every((f, i) => i === 0 || f - repeated[i - 1]! === 6)).toBe(true)
    const onPictures = matchHits(
      clip.hits,
      analyseTrack({ track: clip.track, imageSize: clip.size, calibration: clip.calibration }).hits
    )
    const blind = matchHits(truthHits(), analyse(false).hits, 3)
    const timed = matchHits(truthHits(), analyse(true).hits, 3)
    console.info(
      `[analysis] repeats: ${onPictures.falsePositives} false hits on the pictures, ${blind.falsePositives} frame by frame, ${timed.falsePositives} with the repeated frames`
    )
    expect(blind.falsePositives).toBeGreaterThan(onPictures.falsePositives)
    expect(timed.falsePositives).toBe(onPictures.falsePositives)
    expect(timed.pairs.length).toBe(onPictures.pairs.length)
  })

  it('measures the same speeds and rallies as on the pictures, reported in video frames and seconds', () => {
    const pictures = analyseTrack({ track: clip.track, imageSize: clip.size, calibration: clip.calibration })
    const a = analyse(true)
    expect(a.fps).toBe(36)
    expect(a.frameCount).toBe(video.visible.length)
    expect(a.hits.map((h) => h.speedKmh)).toEqual(pictures.hits.map((h) => h.speedKmh))
    expect(a.rallies).toHaveLength(pictures.rallies.length)
    a.hits.forEach((h, i) => {
      const p = pictures.hits[i]!
      // The same moment: the picture's time, in the video, within the half picture the rounding takes.
      expect(Math.abs(h.time - p.time)).toBeLessThan(0.5 / 30 + 0.5 / 36)
      // The frame is the (fractional) contact's nearest.
      expect(Math.abs(h.time * 36 - h.frame)).toBeLessThanOrEqual(0.5 + 1e-3)
    })
    a.landings.forEach((l, i) => expect(l.frame).toBe(shownAt[pictures.landings[i]!.frame]))
  })

  it('takes hit edits in video frames: a removal at a reported frame, an addition kept on its frame', () => {
    const a = analyse(true)
    const gone = a.hits.find((h) => h.kind === 'stroke')!
    const extra = repeated.find((f) => f > a.rallies[0]!.startFrame + 20 && f < a.rallies[0]!.endFrame)!
    const edited = analyseTrack({
      track: video,
      imageSize: clip.size,
      calibration: clip.calibration,
      repeatedFrames: repeated,
      hitEdits: { ...removeHit({ added: [], removed: [] }, gone.frame), added: [extra] }
    })
    expect(edited.hits.some((h) => h.frame === gone.frame)).toBe(false)
    expect(edited.hits.find((h) => h.edited)?.frame).toBe(extra)
    expect(edited.hitEdits).toEqual({ added: [extra], removed: [gone.frame] })
  })
})

describe('pictureTimeline', () => {
  it('ignores entries that are no repeat of this video, and maps frames both ways', () => {
    expect(pictureTimeline(10, 30, [])).toBeNull()
    expect(pictureTimeline(10, 30, [0, -1, 10, 2.5])).toBeNull()
    const tl = pictureTimeline(12, 30, [5, 11, 11, 40])!
    expect(tl.firstFrame).toEqual([0, 1, 2, 3, 4, 6, 7, 8, 9, 10])
    expect(tl.fps).toBe(25)
    expect(pictureOf(tl, 5)).toBe(4)
    expect(pictureOf(tl, 6)).toBe(5)
    expect(videoFrameOf(tl, 4.5)).toBe(5)
    expect(videoFrameOf(tl, 9.5)).toBe(10.5)
  })
})
