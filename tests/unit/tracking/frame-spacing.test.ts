// Runs in Node (Vitest): frame spacing — a model trained at one frame rate reads a faster video's frames
// spaced to that rate (windows.ts), in k interleaved phases so that every frame still gets a position; the
// layout's invariants as properties, the spacing rule, the model key, and the whole tracker on the synthetic
// generator's 60 fps output with a known-answer model that says it was trained at 30 fps.
import { mkdtemp } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { locateFfmpeg, type FfmpegInfo } from '../../../src/backend/ffmpeg/locate'
import { loadModel, trackVideo, TrackError } from '../../../src/backend/tracking'
import { specFromMetadata, ModelProblem } from '../../../src/backend/tracking/model-spec'
import {
  finalBefore,
  frameSpacing,
  inputFrame,
  outputFrame,
  resumePoint,
  windowLayout,
  type WindowLayout
} from '../../../src/backend/tracking/windows'
import { generateMatch } from '../../../src/backend/synth/match'
import { EXIT, runTrack } from '../../../src/cli/commands/track'
import { checkSynthOptions } from '../../../src/backend/synth/options'
import { cleanup, makeModel, makeSquareVideo, MINIMAL_METADATA, modelToolsMissing } from './fixtures'

/** How many windows write each frame. */
function coverage(l: WindowLayout, frameCount: number): number[] {
  const c = new Array<number>(frameCount).fill(0)
  for (let w = 0; w < l.starts.length; w++)
    for (let k = 0; k < l.framesOut; k++) c[outputFrame(l, w, k)]! += 1
  return c
}

const layoutCase = fc
  .record({
    framesIn: fc.integer({ min: 1, max: 5 }),
    outShort: fc.integer({ min: 0, max: 4 }),
    strideFrac: fc.double({ min: 0, max: 1, noNaN: true }),
    spacing: fc.integer({ min: 1, max: 5 }),
    extra: fc.integer({ min: 0, max: 60 })
  })
  .map(({ framesIn, outShort, strideFrac, spacing, extra }) => {
    const framesOut = Math.max(1, framesIn - outShort)
    const stride = 1 + Math.floor(strideFrac * (framesIn - 1))
    return { framesIn, framesOut, stride, spacing, frameCount: framesIn * spacing + extra }
  })

describe('interleaved window layout', () => {
  it('spacing 2 on 10 frames: two phases of consecutive-frame layouts, run in order of their first frame', () => {
    const l = windowLayout(10, 3, 3, 1, 2)
    expect(l.starts).toEqual([0, 1, 2, 3, 4, 5])
    expect([0, 1, 2].map((j) => inputFrame(l, 1, j))).toEqual([1, 3, 5])
    expect([0, 1, 2].map((k) => outputFrame(l, 5, k))).toEqual([5, 7, 9])
    expect(coverage(l, 10)).toEqual([1, 1, 2, 2, 3, 3, 2, 2, 1, 1])
    // Non-overlapping windows, the last of each phase anchored at that phase's end (phases of 4 and 3 frames).
    expect(windowLayout(7, 3, 3, 3, 2).starts).toEqual([0, 1, 2])
  })

  it('spacing 1 is the consecutive-frame layout it always was', () => {
    expect(windowLayout(10, 3, 3, 3)).toEqual({
      starts: [0, 3, 6, 7],
      framesIn: 3,
      framesOut: 3,
      offset: 0,
      spacing: 1
    })
  })

  it('gives each frame exactly the windows its phase would give it as a clip of its own', () => {
    fc.assert(
      fc.property(layoutCase, ({ framesIn, framesOut, stride, spacing, frameCount }) => {
        const l = windowLayout(frameCount, framesIn, framesOut, stride, spacing)
        for (let w = 1; w < l.starts.length; w++) expect(l.starts[w]).toBeGreaterThan(l.starts[w - 1]!)
        for (let w = 0; w < l.starts.length; w++) {
          expect(inputFrame(l, w, framesIn - 1)).toBeLessThan(frameCount)
        }
        const got = coverage(l, frameCount)
        for (let p = 0; p < spacing; p++) {
          const count = Math.ceil((frameCount - p) / spacing)
          const own = coverage(windowLayout(count, framesIn, framesOut, stride), count)
          own.forEach((c, i) => expect(got[p + i * spacing]).toBe(c))
        }
        // With windows that overlap or touch, every frame of a phase past its first window's leading offset
        // and before its last window's trailing one gets a prediction.
        if (stride <= framesOut)
          for (let p = 0; p < spacing; p++) {
            const count = Math.ceil((frameCount - p) / spacing)
            const tail = framesIn - framesOut - l.offset
            for (let i = l.offset; i < count - tail; i++) expect(got[p + i * spacing]).toBeGreaterThan(0)
          }
      })
    )
  })

  it('finalBefore and resumePoint stay exact: no later window writes a final frame, a resume reruns all', () => {
    fc.assert(
      fc.property(layoutCase, fc.double({ min: 0, max: 1, noNaN: true }), (c, doneFrac) => {
        const l = windowLayout(c.frameCount, c.framesIn, c.framesOut, c.stride, c.spacing)
        const done = Math.floor(doneFrac * l.starts.length)
        const final = finalBefore(l, done, c.frameCount)
        for (let w = done; w < l.starts.length; w++)
          expect(outputFrame(l, w, 0)).toBeGreaterThanOrEqual(final)
        const { startWindow, firstFrame } = resumePoint(l, done, c.frameCount)
        expect(firstFrame).toBe(final)
        for (let w = 0; w < startWindow; w++)
          expect(outputFrame(l, w, c.framesOut - 1)).toBeLessThan(firstFrame)
      })
    )
  })

  it('refuses a clip too short for the spaced window, saying how many frames it needs', () => {
    expect(() => windowLayout(11, 3, 3, 1, 4)).toThrow(
      /11 frames.*window of 3 frames taken 4 apart \(12 frames\)/
    )
    expect(() => windowLayout(12, 3, 3, 1, 4)).not.toThrow()
    expect(() => windowLayout(12, 3, 3, 1, 0)).toThrow(/spacing/)
  })
})

describe('frame spacing rule', () => {
  it('is round(video fps / train fps), at least 1; a model without shuttle.train_fps reads consecutive frames', () => {
    expect(frameSpacing(119.88, 30)).toBe(4)
    expect(frameSpacing(60, 30)).toBe(2)
    expect(frameSpacing(59.94, 30)).toBe(2)
    expect(frameSpacing(30, 30)).toBe(1)
    expect(frameSpacing(25, 30)).toBe(1)
    expect(frameSpacing(10, 30)).toBe(1)
    expect(frameSpacing(119.88, null)).toBe(1)
    expect(frameSpacing(Number.NaN, null)).toBe(1)
  })

  it('refuses an unknown or implausible frame rate instead of guessing a spacing', () => {
    for (const fps of [Number.NaN, 0, -30, Infinity, 0.2, 5000])
      expect(() => frameSpacing(fps, 30)).toThrow(/frame rate .* unknown or implausible/)
  })

  it('reads shuttle.train_fps from the model, and names a bad one', () => {
    const meta = MINIMAL_METADATA
    expect(specFromMetadata(meta).trainFps).toBeNull()
    expect(specFromMetadata({ ...meta, 'shuttle.train_fps': '30' }).trainFps).toBe(30)
    for (const bad of ['fast', '0', '-30', '1e9'])
      expect(() => specFromMetadata({ ...meta, 'shuttle.train_fps': bad })).toThrow(ModelProblem)
    expect(() => specFromMetadata({ ...meta, 'shuttle.train_fps': 'fast' })).toThrow(
      /shuttle\.train_fps = "fast"/
    )
  })

  it('the bundled model says it was trained at 30 fps', async () => {
    const model = await loadModel('mmfnet-small', {
      bundled: path.resolve(__dirname, '../../../resources/models'),
      user: os.tmpdir()
    })
    expect(model.spec.trainFps).toBe(30)
  })
})

const missing = await modelToolsMissing()
if (missing) console.warn(`frame spacing tracking tests skipped: ${missing}`)

/** The model input is the video's size, so the generator's one-pixel shuttle is not scaled away. */
const FULL_SIZE = ['--height', '180', '--width', '320']
const KA_30FPS = [...FULL_SIZE, '--train-fps', '30']

describe.skipIf(missing !== null)('tracking a 60 fps video with a model trained at 30 fps', () => {
  let dir: string
  let ffmpeg: FfmpegInfo
  let video: string
  let frames: number
  let visibleFrames: number
  let models: string

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'shuttle-spacing-'))
    models = path.join(dir, 'models')
    ffmpeg = await locateFfmpeg()
    // The shuttle as a bright dot on a dark picture: the known-answer model finds it where it is drawn.
    const opts = checkSynthOptions({
      out: path.join(dir, 'synth'),
      match: 'm',
      clips: 1,
      seconds: 2,
      width: 320,
      height: 180,
      fps: 60,
      seed: 3,
      exposure: 0.5,
      mode: 'bright-pixel',
      preset: 'ultrafast',
      crf: 12
    })
    const r = await generateMatch(opts, ffmpeg.ffmpegPath)
    video = r.clips[0]!.video
    frames = r.clips[0]!.frames
    visibleFrames = r.clips[0]!.visibleFrames
  }, 300_000)
  afterAll(() => cleanup(dir))

  async function track(model: string, over: { spacing?: number; stride?: number } = {}) {
    return trackVideo({
      video,
      model: await loadModel(model, { bundled: null, user: dir }),
      ffmpeg,
      cacheDir: path.join(dir, 'cache'),
      provider: 'cpu',
      threads: 1,
      noCache: true,
      ...over
    })
  }

  it('uses spacing 2 and gives every frame the prediction its own frame makes', async () => {
    const ka30 = await makeModel(models, 'ka-30fps', KA_30FPS)
    const spaced = await track(ka30, { stride: 1 })
    expect(spaced.video.fps).toBeCloseTo(60, 0)
    expect(spaced.spacing).toBe(2)
    expect(spaced.detections.map((d) => d.frame)).toEqual([...Array(frames).keys()])
    expect(spaced.windowsRun).toBe(windowLayout(frames, 3, 3, 1, 2).starts.length)
    // This model's output k is its input frame k alone, so the interleaved run must put every heatmap on the
    // frame it came from: the same answers as reading consecutive frames. A frame put one step off would
    // carry a neighbour's position (the dot moves every frame).
    const consecutive = await track(ka30, { stride: 1, spacing: 1 })
    expect(consecutive.spacing).toBe(1)
    expect(spaced.detections).toEqual(consecutive.detections)
    // And it is a real answer: the dot is found in (nearly) every frame the generator drew it in.
    expect(visibleFrames).toBeGreaterThan(30)
    const seen = spaced.detections.filter((d) => d.visible).length
    expect(seen).toBeGreaterThanOrEqual(visibleFrames - 2)
  }, 300_000)

  it('says so in the summary of the track command', async () => {
    const ka30 = await makeModel(models, 'ka-30fps', KA_30FPS)
    const out: string[] = []
    const code = await runTrack(
      [video],
      { model: ka30, out: path.join(dir, 'out'), provider: 'cpu', rectify: false },
      {
        out: (t) => out.push(t),
        err: (t) => out.push(t),
        cacheDir: path.join(dir, 'cache'),
        ffmpeg: async () => ffmpeg
      }
    )
    expect(code).toBe(EXIT.ok)
    expect(out.join('\n')).toMatch(/clip_01\.csv: \d+ frames, .*windows read frames 2 apart/)
  }, 300_000)

  it('keeps consecutive frames for a model that does not say its frame rate', async () => {
    const old = await makeModel(models, 'ka-old', FULL_SIZE)
    const r = await track(old)
    expect(r.spacing).toBe(1)
    expect(r.detections).toHaveLength(frames)
  }, 300_000)

  it('refuses a clip too short for the spaced windows with a message naming the clip', async () => {
    const ka30 = await makeModel(models, 'ka-30fps', KA_30FPS)
    const short = await makeSquareVideo(dir, 5)
    const e2 = await trackVideo({
      video: short,
      model: await loadModel(ka30, { bundled: null, user: dir }),
      ffmpeg,
      cacheDir: path.join(dir, 'cache'),
      provider: 'cpu',
      noCache: true,
      spacing: 2
    }).catch((e: unknown) => e)
    expect(e2).toBeInstanceOf(TrackError)
    expect((e2 as Error).message).toMatch(/square-5\.mp4: the video has 5 frames.*3 frames taken 2 apart/)
  }, 300_000)
})
