// Runs in Node (Vitest): the ffmpeg command lines of the video engine, where a seek's speed is decided. The
// frames they give are checked for exactness against real ffmpeg in decode.test.ts (warm and fresh seeks, every
// kind of test video); here, what each line asks ffmpeg for and why.
import { describe, expect, it } from 'vitest'
import type { FfmpegInfo } from '../../../src/backend/ffmpeg/locate'
import { type DecodeTarget, seekingArgs, warmArgs } from '../../../src/backend/video/decoder-args'
import { machineBusy } from '../../../src/backend/machine-load'
import { FrameIndex } from '../../../src/backend/video/frame-index'
import { skipStreamInfoArgs } from '../../../src/backend/video/seek-plan'

function ffmpegOf(version: string): FfmpegInfo {
  return { ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe', version, source: 'path' }
}

function target(over: Partial<DecodeTarget> = {}): DecodeTarget {
  const pts = Float64Array.from({ length: 90 }, (_, i) => i / 30)
  const key = Uint8Array.from({ length: 90 }, (_, i) => (i % 30 === 0 ? 1 : 0))
  return {
    ffmpeg: ffmpegOf('5.1.9-0+deb12u1'),
    path: '/videos/match.mp4',
    index: new FrameIndex(pts, key),
    streamIndex: 0,
    formatStartTime: 0,
    rotation: 0,
    output: { kind: 'jpeg', quality: 3 },
    threads: 2,
    ...over
  }
}

/** The value given to an option in the part of the command line after the input (output options). */
function outputOption(args: string[], name: string): string | undefined {
  const out = args.slice(args.indexOf('-i') + 2)
  const i = out.indexOf(name)
  return i < 0 ? undefined : out[i + 1]
}

describe('decoder command lines', () => {
  it('encode JPEG on one thread, so a seek frame is not held back for the frames after it', () => {
    for (const args of [warmArgs(target()), seekingArgs(target(), 30, 10)]) {
      expect(outputOption(args, '-c:v')).toBe('mjpeg')
      expect(outputOption(args, '-threads')).toBe('1')
    }
  })

  it('leave the tracker encoder-free rgb output as it was', () => {
    const rgb = target({ output: { kind: 'rgb', width: 512, height: 288 } })
    expect(outputOption(warmArgs(rgb), '-threads')).toBeUndefined()
    expect(outputOption(seekingArgs(rgb, 0, 10), '-pix_fmt')).toBe('rgb24')
  })

  it('skip the second probe of a warm decoder where ffmpeg knows how (5.1 and later)', () => {
    const warm = warmArgs(target())
    expect(warm.indexOf('-nofind_stream_info')).toBeGreaterThan(-1)
    expect(warm.indexOf('-nofind_stream_info')).toBeLessThan(warm.indexOf('-i'))
    // Fresh processes probe the file itself: nothing to skip.
    expect(seekingArgs(target(), 30, 10)).not.toContain('-nofind_stream_info')
    expect(skipStreamInfoArgs(ffmpegOf('5.0.3'))).toEqual([])
    expect(skipStreamInfoArgs(ffmpegOf('n4.4.2'))).toEqual([])
    expect(skipStreamInfoArgs(ffmpegOf('6.1.1-static'))).toEqual(['-nofind_stream_info'])
    expect(skipStreamInfoArgs(ffmpegOf('N-112345-gabcdef'))).toEqual(['-nofind_stream_info'])
    expect(warmArgs(target({ ffmpeg: ffmpegOf('5.0.3') }))).not.toContain('-nofind_stream_info')
  })

  it('decode on one thread only when every core is busy and nobody chose a thread count', () => {
    expect(machineBusy(2.5, 2)).toBe(true)
    expect(machineBusy(1.2, 2)).toBe(false)
    expect(machineBusy(0, 2)).toBe(false)
    // A chosen count is kept whatever the load.
    const chosen = warmArgs(target({ threads: 3 }))
    expect(chosen[chosen.indexOf('-threads') + 1]).toBe('3')
    const auto = warmArgs(target({ threads: undefined }))
    const before = auto.slice(0, auto.indexOf('-i'))
    if (machineBusy()) expect(before[before.indexOf('-threads') + 1]).toBe('1')
    else expect(before).not.toContain('-threads')
  })
})
