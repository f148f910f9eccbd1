// Runs in Node (Vitest): the repeated-frame detector on videos made here with ffmpeg: a moving test pattern
// converted from 25 to 30 fps (every sixth frame repeats, as on the real broadcasts), the same pattern made at
// 30 fps (no repeat), and a still grey scene with sensor noise (a still camera: no repeat either).
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lavfiVideo } from '../support/lavfi-video'
import { locateFfmpeg, type FfmpegInfo } from '../../../src/backend/ffmpeg/locate'
import {
  onConversionBeat,
  repeatsFromChanges,
  scanRepeatedFrames
} from '../../../src/backend/video/repeated-frames'

const run = promisify(execFile)
let ff: FfmpegInfo
let tmp = ''

async function make(name: string, source: string, filter?: string): Promise<string> {
  return lavfiVideo(ff.ffmpegPath, path.join(tmp, name), source, filter)
}

beforeAll(async () => {
  ff = await locateFfmpeg()
  tmp = mkdtempSync(path.join(tmpdir(), 'repeats-'))
})
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

describe('scanRepeatedFrames', () => {
  it('marks the frames a 25 → 30 fps conversion shows twice, and no other', async () => {
    const file = await make('converted.mp4', 'testsrc2=s=320x180:r=25:d=2', 'fps=30')
    const scan = await scanRepeatedFrames(ff, file)
    expect(scan.changes).toHaveLength(60)
    // The truth: the same conversion decoded losslessly, a repeat being byte for byte its previous frame.
    const raw = await run(
      ff.ffmpegPath,
      [
        '-v',
        'error',
        '-f',
        'lavfi',
        '-i',
        'testsrc2=s=320x180:r=25:d=2',
        '-vf',
        'fps=30',
        '-f',
        'rawvideo',
        '-pix_fmt',
        'gray',
        '-'
      ],
      { encoding: 'buffer', maxBuffer: 1 << 23 }
    )
    const size = 320 * 180
    const frame = (j: number): Buffer => raw.stdout.subarray(j * size, (j + 1) * size)
    const expected = [...Array(60).keys()].filter((j) => j > 0 && frame(j).equals(frame(j - 1)))
    expect(expected).toHaveLength(10)
    expect(scan.repeated).toEqual(expected)
  })

  it('marks nothing in a video made at its own rate', async () => {
    const scan = await scanRepeatedFrames(ff, await make('native.mp4', 'testsrc2=s=320x180:r=30:d=2'))
    expect(scan.changes).toHaveLength(60)
    expect(scan.repeated).toEqual([])
  })

  it('marks nothing in a still scene whose noise changes every frame', async () => {
    const file = await make('still.mp4', 'color=c=gray:s=320x180:r=30:d=1', 'noise=alls=12:allf=t')
    const scan = await scanRepeatedFrames(ff, file)
    expect(scan.repeated).toEqual([])
    expect(Math.min(...scan.changes.slice(1))).toBeGreaterThan(4)
  })
})

describe('repeatsFromChanges', () => {
  it('takes an isolated low change as a repeat, but not a frozen run or a uniformly still stretch', () => {
    // frame:          0  1   2  3   4    5    6    7    8   9  10
    const changes = [0, 20, 2, 20, 1.5, 1.6, 1.4, 1.5, 20, 20, 20]
    expect(repeatsFromChanges(changes)).toEqual([2])
    // The last frame has one neighbour only.
    expect(repeatsFromChanges([0, 20, 20, 1])).toEqual([3])
  })
})

describe('onConversionBeat', () => {
  it('keeps repeats that keep a conversion beat, give or take a frame', () => {
    expect(onConversionBeat([5, 11, 17, 23, 29])).toEqual([5, 11, 17, 23, 29])
    expect(onConversionBeat([5, 11, 16, 22, 28, 34])).toEqual([5, 11, 16, 22, 28, 34])
  })

  it('drops a few scattered near-still frames: no conversion, every frame kept', () => {
    expect(onConversionBeat([])).toEqual([])
    expect(onConversionBeat([57])).toEqual([])
    expect(onConversionBeat([3, 90])).toEqual([])
    expect(onConversionBeat([3, 40, 41, 130, 170])).toEqual([])
  })
})
