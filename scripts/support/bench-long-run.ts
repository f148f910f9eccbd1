// Runs in plain Node (scripts/bench-track.ts --long): tracks one long video and prints RSS over time, to show
// memory does not grow with the video's length.
import { existsSync } from 'node:fs'
import path from 'node:path'
import type { FfmpegInfo } from '../../src/backend/ffmpeg/locate'
import { generateMatch } from '../../src/backend/synth/match'
import { parseSynthOptions } from '../../src/backend/synth/options'
import { trackVideo, type LoadedModel } from '../../src/backend/tracking'
import { DIR, type Args } from './bench-args'
import { benchTrackOptions, f1, makeClip, mib, PeakRss } from './bench-measure'

/** The stress input of the synthetic generator: one clip of a rally-after-rally broadcast, 1080p60, made once. */
async function synthLongClip(ffmpeg: FfmpegInfo, minutes: number): Promise<string> {
  const out = path.join(DIR, `synth-${minutes}min-1080p60`)
  const video = path.join(out, 'stress', 'video', 'clip_01.mp4')
  if (existsSync(video)) return video
  const opts = parseSynthOptions({
    out,
    match: 'stress',
    seconds: String(minutes * 60),
    size: '1920x1080',
    fps: '60',
    seed: '60',
    preset: 'ultrafast'
  })
  const t0 = performance.now()
  let last = 0
  await generateMatch(opts, ffmpeg.ffmpegPath, {
    onProgress: (done, total) => {
      if (performance.now() - last < 30_000 && done < total) return
      last = performance.now()
      const fps = done / ((last - t0) / 1000)
      console.error(`  rendered ${done} / ${total} frames (${fps.toFixed(1)} fps)`)
    }
  })
  return video
}

export async function longRun(
  model: LoadedModel,
  ffmpeg: FfmpegInfo,
  a: Args,
  cacheDir: string
): Promise<void> {
  const frames = Math.round(a.minutes * 60 * (a.synth ? 60 : 30))
  console.error(
    `making a ${a.minutes}-minute ${a.synth ? 'synthetic 1920×1080 60 fps' : '640×360 30 fps'} clip (${frames} frames)…`
  )
  const video = a.synth
    ? await synthLongClip(ffmpeg, a.minutes)
    : await makeClip(ffmpeg, 640, 360, frames, `long-${a.minutes}min-360p.mp4`, 'ultrafast')
  const t0 = performance.now()
  const samples: string[] = ['| minute | frames done | fps | RSS |', '|---|---|---|---|']
  let lastLog = 0
  const rss = new PeakRss()
  rss.start()
  const r = await trackVideo({
    ...benchTrackOptions(model, ffmpeg, video, a, cacheDir),
    onProgress: (p) => {
      const now = performance.now()
      if (now - lastLog < 30_000 && p.done < p.total) return
      lastLog = now
      const line = `| ${((now - t0) / 60_000).toFixed(1)} | ${p.done} / ${p.total} | ${f1(p.fps)} | ${mib(process.memoryUsage().rss)} |`
      samples.push(line)
      console.error(line)
    }
  })
  console.log(
    `\n### Memory over a ${a.minutes}-minute video (${r.detections.length} frames, peak RSS ${mib(rss.stop())})\n`
  )
  console.log(samples.join('\n'))
}
