// Runs in plain Node (npx tsx scripts/profile-seek.ts [--n 20] [--variants a,b]): where a cold random seek's
// time goes on the bench:video clip (make it with `npm run bench:video` first). Each seek uses a warm ffmpeg
// started a second earlier, as the engine does, with a showinfo filter before the frame selection too, so every
// decoded frame is timestamped: hand-off to the first decoded frame (demux + keyframe), decoding up to the
// target, the target's encoding and its transfer. Variants run interleaved (A, B, A, B) so load hits them alike.
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { locateFfmpeg } from '../src/backend/ffmpeg/locate'
import { buildFrameIndex, probeVideo } from '../src/backend/video/index'

const CLIP = path.resolve(__dirname, '..', '.tmp', 'bench', 'testsrc2-1080p30-60s-gop2s.mp4')

interface Variant {
  label: string
  input: string[]
  encode: string[]
}

const JPEG = ['-c:v', 'mjpeg', '-q:v', '3', '-huffman', 'default', '-f', 'image2pipe']
const VARIANTS: Record<string, Variant> = {
  old: { label: 'probe of the concat input, frame-threaded encoder', input: [], encode: JPEG },
  enc1: { label: 'one encoder thread', input: [], encode: ['-threads', '1', ...JPEG] },
  now: {
    label: 'one encoder thread, no second probe (engine)',
    input: ['-nofind_stream_info'],
    encode: ['-threads', '1', ...JPEG]
  },
  dec1: {
    label: 'as engine, -threads 1 decoding',
    input: ['-threads', '1', '-nofind_stream_info'],
    encode: ['-threads', '1', ...JPEG]
  },
  dec2: {
    label: 'as engine, -threads 2 decoding',
    input: ['-threads', '2', '-nofind_stream_info'],
    encode: ['-threads', '1', ...JPEG]
  },
  slice: {
    label: 'as engine, -thread_type slice decoding',
    input: ['-thread_type', 'slice', '-nofind_stream_info'],
    encode: ['-threads', '1', ...JPEG]
  }
}

interface Times {
  /** ffmpeg has opened and probed the file and set up its output ("Stream mapping"). */
  probed: number
  firstDecoded: number
  targetDecoded: number
  /** The target's whole JPEG has arrived on stdout. */
  out: number
  /** Frames decoded by then (the keyframe's GOP up to the target, and any after it). */
  decoded: number
  /** CPU time of the ffmpeg process from the hand-off to the JPEG (Linux only, 10 ms ticks). */
  cpu: number
}

async function main(): Promise<void> {
  if (!existsSync(CLIP)) throw new Error(`${CLIP} is missing: run npm run bench:video once first.`)
  const args = process.argv.slice(2)
  const n = Number(args[args.indexOf('--n') + 1] ?? 20) || 20
  const names = (args.includes('--variants') ? args[args.indexOf('--variants') + 1]! : 'old,now').split(',')
  const ffmpeg = await locateFfmpeg()
  const probe = await probeVideo(ffmpeg.ffprobePath, CLIP)
  const index = await buildFrameIndex(ffmpeg.ffprobePath, CLIP, probe.streamIndex, probe.timeBase)
  let seed = 42
  const rnd = (): number => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32
  const results = new Map<string, Times[]>(names.map((k) => [k, []]))
  const loads: number[] = []
  for (let i = 0; i < n; i++) {
    const target = Math.floor(rnd() * index.count)
    for (const name of i % 2 ? [...names].reverse() : names) {
      const v = VARIANTS[name]
      if (!v) throw new Error(`unknown variant ${name}`)
      results.get(name)!.push(await seek(ffmpeg.ffmpegPath, v, index.pts[target]!))
    }
    loads.push(os.loadavg()[0]!)
  }
  console.log(`\nCold random seek profile: ${n} seeks per variant, interleaved; ${os.cpus().length} cores,`)
  console.log(
    `1-minute load during the run ${Math.min(...loads).toFixed(1)}..${Math.max(...loads).toFixed(1)}`
  )
  console.log('Medians in ms from the hand-off (the script written to a warm ffmpeg), p95 of the JPEG out\n')
  console.log(
    '| variant | probed | first frame decoded | target decoded | JPEG out | p95 out | frames decoded | CPU ms |'
  )
  console.log('|---|---|---|---|---|---|---|---|')
  for (const name of names) {
    const r = results.get(name)!
    const m = (f: (t: Times) => number): string => med(r.map(f)).toFixed(0)
    console.log(
      `| ${VARIANTS[name]!.label} | ${m((t) => t.probed)} | ${m((t) => t.firstDecoded)} | ` +
        `${m((t) => t.targetDecoded)} | ${m((t) => t.out)} | ${pct(
          r.map((t) => t.out),
          95
        ).toFixed(0)} | ` +
        `${m((t) => t.decoded)} | ${m((t) => t.cpu)} |`
    )
  }
}

/** One seek with a warm process: started, left a second, then told where to start; ends at the first JPEG. */
async function seek(bin: string, v: Variant, inpoint: number): Promise<Times> {
  const child = spawn(bin, [
    ...['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info', ...v.input, '-noautorotate'],
    ...['-copyts', '-protocol_whitelist', 'file,pipe', '-f', 'concat', '-safe', '0', '-i', 'pipe:0'],
    ...['-vf', 'showinfo=checksum=0,select=gte(pts\\,0),showinfo=checksum=0'],
    ...['-fps_mode', 'passthrough', '-enc_time_base', '1/1000000', ...v.encode, 'pipe:1']
  ])
  await new Promise((r) => setTimeout(r, 1000))
  const t: Times = { probed: NaN, firstDecoded: NaN, targetDecoded: NaN, out: NaN, decoded: 0, cpu: NaN }
  const cpu0 = cpuMs(child.pid)
  const t0 = performance.now()
  let rest = ''
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (s: string) => {
    const now = performance.now() - t0
    const lines = (rest + s).split('\n')
    rest = lines.pop() ?? ''
    for (const l of lines) {
      if (l.startsWith('Stream mapping')) t.probed = now
      const pre = /Parsed_showinfo_0.*\bn:\s*\d+\s+pts:\s*(-?\d+)/.exec(l)
      if (!pre) continue
      t.decoded++
      if (Number.isNaN(t.firstDecoded)) t.firstDecoded = now
      if (Number(pre[1]) >= 0 && Number.isNaN(t.targetDecoded)) t.targetDecoded = now
    }
  })
  let tail = Buffer.alloc(0)
  child.stdout.on('data', (chunk: Buffer) => {
    tail = Buffer.concat([tail.subarray(-1), chunk])
    if (!Number.isNaN(t.out) || tail.indexOf(EOI) < 0) return
    t.out = performance.now() - t0
    t.cpu = cpuMs(child.pid) - cpu0
    child.kill('SIGKILL')
  })
  child.stdin.end(`ffconcat version 1.0\nfile 'file:${CLIP}'\ninpoint ${inpoint.toFixed(6)}\n`)
  await new Promise((r) => child.once('close', r))
  return t
}

const EOI = Buffer.from([0xff, 0xd9])

/** User + system CPU time of a process, all its threads (Linux /proc; NaN elsewhere). */
function cpuMs(pid: number | undefined): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100
  } catch {
    return NaN
  }
}

function med(a: number[]): number {
  return pct(a, 50)
}

function pct(a: number[], p: number): number {
  const s = a.filter((x) => !Number.isNaN(x)).sort((x, y) => x - y)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
