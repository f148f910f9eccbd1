// Runs in plain Node (npx tsx scripts/bench-video.ts): measures the video engine on this machine against its
// targets (index >= 50x real time, step p95 <= 16 ms, random seek p95 <= 150 ms, bounded memory) and prints
// markdown tables. The 1080p clip (and a 1-hour 60 fps file for the memory check) are generated once into
// .tmp/bench/ (gitignored). Numbers are medians/percentiles of one run; machines are noisy, so this is a
// benchmark, never a test.
import { execFile } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { locateFfmpeg, type FfmpegInfo } from '../src/backend/ffmpeg/locate'
import { buildFrameIndex, probeVideo, readFramesScaled, VideoEngine } from '../src/backend/video/index'
import type { HandleLease } from '../src/backend/video/handle-lease'

const run = promisify(execFile)
const BENCH_DIR = path.resolve(__dirname, '..', '.tmp', 'bench')
const CLIP = path.join(BENCH_DIR, 'testsrc2-1080p30-60s-gop2s.mp4')
const HOUR = path.join(BENCH_DIR, 'hour-60fps-small.mp4')

async function main(): Promise<void> {
  const ffmpeg = await locateFfmpeg()
  await mkdir(BENCH_DIR, { recursive: true })
  await makeClip(ffmpeg)
  const rows: [string, string, string][] = []
  const peaks = new PeakSampler()
  peaks.start()

  // 1. Index build (probe + packet index), no cache, best of 3.
  const indexTimes: number[] = []
  for (let i = 0; i < 3; i++) {
    const t = performance.now()
    const p = await probeVideo(ffmpeg.ffprobePath, CLIP)
    await buildFrameIndex(ffmpeg.ffprobePath, CLIP, p.streamIndex, p.timeBase)
    indexTimes.push(performance.now() - t)
  }
  const idxMs = Math.min(...indexTimes)
  rows.push([
    'index build (60 s 1080p30, probe + packets)',
    `${fmt(idxMs)} ms = ${fmt(60_000 / idxMs)}× real time`,
    '>= 50×'
  ])

  const cacheDir = path.join(BENCH_DIR, 'index-cache')
  await rm(cacheDir, { recursive: true, force: true })

  // 2. Stepping like a user holding the arrow key (~15 Hz), with the prefetch hint: forward from a seek, then
  // backward from another seek, each time into frames not decoded before.
  {
    const engine = new VideoEngine({ ffmpeg, indexCacheDir: cacheDir })
    const h = await engine.open(CLIP)
    await h.getFrame(600)
    const fwd: number[] = []
    const back: number[] = []
    for (let n = 601; n <= 700; n++) {
      h.prefetch(n, 'forward')
      const t = performance.now()
      await h.getFrame(n)
      fwd.push(performance.now() - t)
      await sleep(66)
    }
    // Backward into frames never decoded yet (a jump, then holding the left arrow).
    h.prefetch(1500, 'backward')
    await h.getFrame(1500)
    for (let n = 1499; n >= 1400; n--) {
      h.prefetch(n, 'backward')
      const t = performance.now()
      await h.getFrame(n)
      back.push(performance.now() - t)
      await sleep(66)
    }
    const all = [...fwd, ...back]
    rows.push([
      'frame step, 200 steps fwd+back at 15 Hz: p50 / p95',
      `${fmt(pct(all, 50))} / ${fmt(pct(all, 95))} ms`,
      'p95 <= 16 ms'
    ])
    rows.push([
      '  forward only: p50 / p95 / max',
      `${fmt(pct(fwd, 50))} / ${fmt(pct(fwd, 95))} / ${fmt(Math.max(...fwd))} ms`,
      ''
    ])
    rows.push([
      '  backward only: p50 / p95 / max',
      `${fmt(pct(back, 50))} / ${fmt(pct(back, 95))} / ${fmt(Math.max(...back))} ms`,
      ''
    ])
    engine.closeAll()
  }

  // 3. Random seeks (cold: never cached), several decoder settings. Between seeks the "user" looks at the frame
  // for 300 ms, as people do, which is also when the warm decoder is replaced.
  const seekVariants: { label: string; n: number; threads?: number; q?: number; warm?: boolean }[] = [
    { label: 'default (warm decoder, threads auto or 1 on busy cores, -q:v 3)', n: 100 },
    { label: 'no warm decoder (fresh ffmpeg per seek)', n: 30, warm: false },
    { label: '-threads 2', n: 30, threads: 2 },
    { label: '-threads 1', n: 30, threads: 1 },
    { label: '-q:v 5', n: 30, q: 5 }
  ]
  for (const v of seekVariants) {
    const engine = new VideoEngine({
      ffmpeg,
      indexCacheDir: cacheDir,
      decoderThreads: v.threads,
      jpegQuality: v.q,
      warmDecoder: v.warm
    })
    const h = await engine.open(CLIP)
    await sleep(1000) // the warm decoder of a video just opened is still starting
    const rnd = lcg(42)
    const lat: number[] = []
    for (let i = 0; i < v.n; i++) {
      const n = Math.floor(rnd() * h.info.frameCount)
      const t = performance.now()
      await h.getFrame(n)
      lat.push(performance.now() - t)
      await sleep(300)
    }
    rows.push([
      `random seek x${v.n}, ${v.label}: p50 / p95`,
      `${fmt(pct(lat, 50))} / ${fmt(pct(lat, 95))} ms`,
      'p95 <= 150 ms'
    ])
    engine.closeAll()
  }

  // 3b. Random seeks as the view meets them: the keyframe preview (or a nearer decoded frame) at once, the exact
  // frame behind it. The previews are decoded in the background after the first frame; their time is a row too.
  {
    const engine = new VideoEngine({ ffmpeg, indexCacheDir: cacheDir })
    const h = (await engine.open(CLIP)) as HandleLease
    const t0 = performance.now()
    const { count, bytes, state } = await previewsBuilt(h)
    const built = performance.now() - t0
    rows.push([
      `keyframe previews of the clip (${state}), from the first frame asked`,
      `${fmt(built)} ms, ${count} previews, ${fmt(bytes / 1024)} kB`,
      ''
    ])
    const rnd = lcg(42)
    const first: number[] = []
    const exact: number[] = []
    const apart: number[] = []
    for (let i = 0; i < 100; i++) {
      const n = Math.floor(rnd() * h.info.frameCount)
      const t = performance.now()
      const p = h.preview(n)
      const shown = performance.now() - t
      await h.getFrame(n)
      exact.push(performance.now() - t)
      first.push(p ? shown : exact[exact.length - 1]!)
      apart.push(p ? Math.abs(p.frame - n) : 0)
      await sleep(300)
    }
    rows.push([
      'random seek x100, a picture at once (preview) then the exact frame: first picture p50 / p95',
      `${fmt(pct(first, 50))} / ${fmt(pct(first, 95))} ms`,
      'p95 <= 150 ms'
    ])
    rows.push([
      '  the exact frame behind it: p50 / p95',
      `${fmt(pct(exact, 50))} / ${fmt(pct(exact, 95))} ms`,
      ''
    ])
    rows.push([
      '  how far the preview is from the frame asked for: p50 / p95 / max',
      `${pct(apart, 50)} / ${pct(apart, 95)} / ${Math.max(...apart)} frames`,
      ''
    ])
    engine.closeAll()
  }

  // 4. Sequential decode: JPEG frames through getFrame, and rgb24 512x288 for the tracker.
  {
    const engine = new VideoEngine({ ffmpeg, indexCacheDir: cacheDir })
    const h = await engine.open(CLIP)
    const t = performance.now()
    for (let n = 0; n < 600; n++) await h.getFrame(n)
    rows.push([
      'sequential getFrame (JPEG 1080p, 600 frames)',
      `${fmt(600_000 / (performance.now() - t))} fps`,
      ''
    ])
    engine.closeAll()
    const t2 = performance.now()
    let count = 0
    for await (const f of readFramesScaled(ffmpeg, CLIP, { width: 512, height: 288, count: 600 }))
      count += f.rgb.length > 0 ? 1 : 0
    rows.push([
      'readFramesScaled rgb24 512x288 (600 frames)',
      `${fmt((count * 1000) / (performance.now() - t2))} fps`,
      ''
    ])
  }
  peaks.stop()
  rows.push(['peak RSS, node process (whole run)', `${fmt(peaks.node / 1048576)} MB`, 'bounded'])
  rows.push(['peak RSS, one ffmpeg/ffprobe child', `${fmt(peaks.child / 1048576)} MB`, 'bounded'])

  // 5. One hour at 60 fps (216,000 frames): index time and memory stay small.
  await makeHour(ffmpeg)
  {
    const sampler = new PeakSampler()
    const before = process.memoryUsage().rss
    sampler.start()
    const t = performance.now()
    const p = await probeVideo(ffmpeg.ffprobePath, HOUR)
    const idx = await buildFrameIndex(ffmpeg.ffprobePath, HOUR, p.streamIndex, p.timeBase)
    const ms = performance.now() - t
    sampler.stop()
    rows.push([
      `1 h 60 fps (${idx.count} frames, small picture): index`,
      `${fmt(ms)} ms = ${fmt(3_600_000 / ms)}× real time`,
      ''
    ])
    rows.push([
      '  its node RSS growth / ffprobe peak RSS',
      `${fmt((sampler.node - before) / 1048576)} MB / ${fmt(sampler.child / 1048576)} MB`,
      'index only (~2 MB)'
    ])
    // Its keyframe previews (one every 2 s, 1,800): how long the background pass takes, what they weigh.
    const engine = new VideoEngine({ ffmpeg, indexCacheDir: cacheDir })
    const h = (await engine.open(HOUR)) as HandleLease
    const t0 = performance.now()
    const { count, bytes, state } = await previewsBuilt(h)
    rows.push([
      '  its keyframe previews (background pass, one thread)',
      `${state} in ${fmt((performance.now() - t0) / 1000)} s: ${count} previews, ${fmt(bytes / 1048576)} MB`,
      'bounded'
    ])
    engine.closeAll()
  }

  // Index output formats, to justify the one used (csv pts,dts,flags).
  const fmts: [string, string[]][] = [
    ['csv pts,dts,flags (used)', ['-show_entries', 'packet=pts,dts,flags', '-of', 'csv=p=0']],
    ['compact pts,dts,flags', ['-show_entries', 'packet=pts,dts,flags', '-of', 'compact=p=0']],
    ['csv pts_time,flags', ['-show_entries', 'packet=pts_time,flags', '-of', 'csv=p=0']],
    ['default -show_packets', ['-show_packets']]
  ]
  const fmtRows: string[] = []
  for (const [label, a] of fmts) {
    const t = performance.now()
    await run(ffmpeg.ffprobePath, ['-v', 'error', '-select_streams', 'v:0', ...a, HOUR], {
      maxBuffer: 1 << 30
    })
    fmtRows.push(`| ${label} | ${fmt(performance.now() - t)} ms |`)
  }

  const load = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')
  console.log(
    `\nVideo engine benchmark — ffmpeg ${ffmpeg.version}, ${process.platform}, node ${process.version}`
  )
  console.log(
    `(${os.cpus().length} cores, load average at the end: ${load}; other work on the machine skews timings)\n`
  )
  console.log('| measure | result | target |\n|---|---|---|')
  for (const r of rows) console.log(`| ${r.join(' | ')} |`)
  console.log('\nffprobe packet listing on the 1-hour file (216,000 packets):\n')
  console.log('| output format | time |\n|---|---|')
  for (const r of fmtRows) console.log(r)
}

async function makeClip(ffmpeg: FfmpegInfo): Promise<void> {
  if (existsSync(CLIP)) return
  console.log('making the 1080p benchmark clip once (about a minute)...')
  const tmp = `${CLIP}.tmp.mp4`
  await run(ffmpeg.ffmpegPath, [
    ...['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=s=1920x1080:r=30:d=60'],
    ...['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p'],
    ...['-g', '60', '-keyint_min', '60', '-sc_threshold', '0', tmp]
  ])
  await run('mv', [tmp, CLIP])
}

/** 10 s at 60 fps repeated 360 times by stream copy: an hour-long file in seconds. */
async function makeHour(ffmpeg: FfmpegInfo): Promise<void> {
  if (existsSync(HOUR)) return
  const part = path.join(BENCH_DIR, 'hour-part.mp4')
  await run(ffmpeg.ffmpegPath, [
    ...['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=s=160x90:r=60:d=10'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '120', '-pix_fmt', 'yuv420p', part]
  ])
  const list = path.join(BENCH_DIR, 'hour-list.txt')
  await writeFile(list, `file '${part}'\n`.repeat(360))
  await run(ffmpeg.ffmpegPath, [
    ...[
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-f',
      'concat',
      '-safe',
      '0',
      '-i',
      list,
      '-c',
      'copy',
      HOUR
    ]
  ])
  await rm(list)
  await rm(part)
}

/** Samples the RSS of this process and of its direct children (Linux /proc) every 25 ms. */
class PeakSampler {
  node = 0
  child = 0
  private timer: NodeJS.Timeout | null = null
  start(): void {
    this.timer = setInterval(() => this.sample(), 25)
  }
  stop(): void {
    this.sample()
    if (this.timer) clearInterval(this.timer)
  }
  private sample(): void {
    this.node = Math.max(this.node, process.memoryUsage().rss)
    if (process.platform !== 'linux') return
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue
      try {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8')
        if (!new RegExp(`^PPid:\\s+${process.pid}$`, 'm').test(status)) continue
        const kb = Number(/^VmHWM:\s+(\d+)/m.exec(status)?.[1] ?? 0)
        this.child = Math.max(this.child, kb * 1024)
      } catch {
        // the child ended between listing and reading
      }
    }
  }
}

/** Asks for frame 0 (which starts the keyframe previews' pass) and waits until the pass has ended. */
async function previewsBuilt(h: HandleLease): Promise<ReturnType<HandleLease['stats']>['previews']> {
  await h.getFrame(0)
  while (['idle', 'building'].includes(h.stats().previews.state)) await sleep(20)
  return h.stats().previews
}

function pct(a: number[], p: number): number {
  const s = [...a].sort((x, y) => x - y)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN
}

function fmt(n: number): string {
  return n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2)
}

function lcg(seed: number): () => number {
  let s = seed >>> 0
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
