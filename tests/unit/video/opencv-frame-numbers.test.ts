// Runs in Node (Vitest): which picture OpenCV shows for a frame number (video/opencv-frame-numbers.ts) — the
// identity on a constant frame rate; shifts that change at keyframes on a video with dropped frames, checked
// frame by frame against OpenCV itself (cv2 in the Python that has PyTorch; skipped with a reason where there
// is none); and labels moved onto those pictures (renumberFromOpenCv): moved, dropped past the end, and the
// first of two labels of one picture kept.
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findTorchPython } from '../../../src/backend/training/python'
import { buildFrameIndex } from '../../../src/backend/video/frame-index'
import { opencvSeekFrames, renumberFromOpenCv } from '../../../src/backend/video/opencv-frame-numbers'
import { probeVideo } from '../../../src/backend/video/probe'
import { ffprobeBin, makeTestVideo } from '../../helpers/test-videos'

const run = promisify(execFile)
const SEEK_MAP = path.resolve(__dirname, '../../fixtures/video/opencv_seek_map.py')

let dir: string
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'opencv-numbers-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function seekFacts(video: string): Promise<Parameters<typeof opencvSeekFrames>[0]> {
  const p = await probeVideo(ffprobeBin(), video)
  const index = await buildFrameIndex(ffprobeBin(), video, p.streamIndex, p.timeBase)
  return { pts: index.pts, key: index.key, fps: p.info.fps }
}

/** OpenCV's own answer, or the reason it cannot be had here. */
async function opencvShows(video: string): Promise<number[] | string> {
  const py = await findTorchPython()
  if ('problem' in py) return py.problem
  try {
    await run(py.path, ['-c', 'import cv2, numpy'])
  } catch {
    return `${py.path} has no OpenCV (Debian: python3-opencv)`
  }
  const { stdout } = await run(py.path, [SEEK_MAP, video], { timeout: 120_000 })
  return JSON.parse(stdout) as number[]
}

describe('the picture OpenCV shows for a frame number', () => {
  it('is the same frame on a constant frame rate', () => {
    const pts = Float64Array.from({ length: 300 }, (_, i) => 5 + i / 30)
    const key = Uint8Array.from({ length: 300 }, (_, i) => (i % 60 === 0 ? 1 : 0))
    expect([...opencvSeekFrames({ pts, key, fps: 30 })]).toEqual([...pts.keys()])
  })

  it('counts from the keyframe it lands on, numbered by its time', () => {
    // 10 pictures at 10 fps, then 50 at 20 fps; keyframes at pictures 0 and 20. At 15 fps OpenCV numbers
    // picture 20 (time 1.5 s) 23. Its first guess goes 16 numbers back: numbers up to 38 land on keyframe 0
    // (counted 0: the identity), from 39 on keyframe 20 (counted 23): number n shows picture n - 3.
    const pts = Float64Array.from({ length: 60 }, (_, i) => (i < 10 ? i / 10 : 1 + (i - 10) / 20))
    const key = Uint8Array.from({ length: 60 }, (_, i) => (i === 0 || i === 20 ? 1 : 0))
    const shown = [...opencvSeekFrames({ pts, key, fps: 15 })]
    expect(shown.slice(0, 39)).toEqual([...Array(39).keys()])
    expect(shown.slice(39)).toEqual([...Array(21).keys()].map((i) => 36 + i))
  })

  it('shows nothing for numbers whose count runs past the last picture', () => {
    // 40 pictures at 40 fps in a stream that says 20 fps: keyframe 20 (0.5 s) is numbered 10, so from number
    // 26 (26 - 16 = 10) on, n shows picture 20 + (n - 10), and from 30 on that is past the last picture.
    const pts = Float64Array.from({ length: 40 }, (_, i) => i / 40)
    const key = Uint8Array.from({ length: 40 }, (_, i) => (i === 0 || i === 20 ? 1 : 0))
    const shown = [...opencvSeekFrames({ pts, key, fps: 20 })]
    expect(shown.slice(0, 26)).toEqual([...Array(26).keys()])
    expect(shown.slice(26, 30)).toEqual([36, 37, 38, 39])
    expect(shown.slice(30)).toEqual(Array(10).fill(-1))
  })

  it('matches OpenCV at every frame number on a video that drops frames', async (ctx) => {
    const video = await makeTestVideo('dropped', dir)
    const want = await opencvShows(video)
    if (typeof want === 'string') ctx.skip(`no OpenCV to compare with: ${want}`)
    const got = [...opencvSeekFrames(await seekFacts(video))]
    expect(got).toEqual(want as number[])
    // Not the identity: the point of it all (shifts of tens of frames).
    expect(Math.max(...got.map((g, n) => Math.abs(g - n)))).toBeGreaterThan(20)
  }, 180_000)

  it('with B-frames, matches OpenCV at nearly every frame number (OpenCV then lands elsewhere now and then)', async (ctx) => {
    const video = await makeTestVideo('dropped', dir, { name: 'dropped-b.mp4', bFrames: true })
    const want = await opencvShows(video)
    if (typeof want === 'string') ctx.skip(`no OpenCV to compare with: ${want}`)
    const got = opencvSeekFrames(await seekFacts(video))
    const differ = (want as number[]).filter((w, n) => w !== got[n]).length
    expect(differ).toBeLessThanOrEqual(Math.ceil(0.02 * want.length))
  }, 180_000)
})

describe('labels moved onto the pictures OpenCV showed', () => {
  it('moves each label, drops those past the end, keeps the first of two on one picture', () => {
    const shown = Int32Array.from([0, 1, 2, 2, 5, 6, -1])
    const labels = [6, 5, 4, 3, 2, 1, 0].map((frame) => ({ frame, visible: true, x: frame, y: 0 }))
    const r = renumberFromOpenCv(labels, shown)
    expect(r.points.map((p) => [p.frame, p.x])).toEqual([
      [0, 0],
      [1, 1],
      [2, 2],
      [5, 4],
      [6, 5]
    ])
    expect(r).toMatchObject({ moved: 2, maxShift: 1, pastEnd: 1, duplicates: 1 })
    // A label beyond the numbers OpenCV has is past the end too.
    expect(renumberFromOpenCv([{ frame: 99 }], shown)).toMatchObject({ points: [], pastEnd: 1 })
  })
})
