// Runs in plain Node (scripts/bench-track.ts): the benchmark's small measuring tools: peak RSS, the test-pattern
// clips, the tracking settings it runs with, and the number formats of its tables.
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import type { FfmpegInfo } from '../../src/backend/ffmpeg/locate'
import type { LoadedModel } from '../../src/backend/tracking'
import { DIR, type Args } from './bench-args'

export const run = promisify(execFile)

export class PeakRss {
  peak = 0
  private timer: NodeJS.Timeout | null = null
  start(): void {
    this.peak = process.memoryUsage().rss
    this.timer = setInterval(() => (this.peak = Math.max(this.peak, process.memoryUsage().rss)), 100)
  }
  stop(): number {
    if (this.timer) clearInterval(this.timer)
    return Math.max(this.peak, process.memoryUsage().rss)
  }
}

export const mib = (b: number): string => `${(b / 2 ** 20).toFixed(0)} MiB`
export const f1 = (v: number): string => v.toFixed(1)

export async function makeClip(
  ffmpeg: FfmpegInfo,
  w: number,
  h: number,
  frames: number,
  name: string,
  preset = 'veryfast'
): Promise<string> {
  const file = path.join(DIR, name)
  if (existsSync(file)) return file
  const tmp = `${file}.tmp.mp4`
  await run(
    ffmpeg.ffmpegPath,
    [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `testsrc2=s=${w}x${h}:r=30`,
      '-frames:v',
      String(frames),
      '-c:v',
      'libx264',
      '-preset',
      preset,
      '-g',
      '60',
      '-pix_fmt',
      'yuv420p',
      tmp
    ],
    { timeout: 3_600_000 }
  )
  await rm(file, { force: true })
  await run('mv', [tmp, file])
  return file
}

/** The benchmark's tracking settings (from the command line), with no result cache. */
export function benchTrackOptions(
  model: LoadedModel,
  ffmpeg: FfmpegInfo,
  video: string,
  a: Args,
  cacheDir: string
) {
  return {
    video,
    model,
    ffmpeg,
    cacheDir,
    provider: a.provider,
    batch: a.batch,
    spin: a.spin,
    decoderThreads: a.decoderThreads,
    workers: a.workers,
    noCache: true
  }
}
