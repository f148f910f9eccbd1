// Runs in plain Node via tsx: makes docs/synth-contact-sheet.jpg, a look at what the synthetic generator produces
// after real H.264 compression: one 1080p frame (downscaled), the same frame at the 512x288 a TrackNet-style model
// sees, and 96x96 crops (shown at 2x) around the shuttle at several speeds, blurred, occluded and at rest, each
// captioned with its speed in km/h and its visibility label (v1/v0). Small red ticks mark the label position.
//   npx tsx scripts/synth-contact-sheet.ts [--seed 7] [--out docs/synth-contact-sheet.jpg]
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { locateFfmpeg } from '../src/backend/ffmpeg/locate'
import { rawRgbInputArgs } from '../src/backend/ffmpeg/raw-input'
import { digitInk } from '../src/backend/synth/glyphs'
import { parseLabels, type LabelRow } from '../src/backend/synth/labels'
import { generateMatch } from '../src/backend/synth/match'
import { checkSynthOptions } from '../src/backend/synth/options'

const W = 1920
const H = 1080
const FPS = 30
const CROP = 96
const ZOOM = 2
const COLS = 7

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback
}

interface Pick {
  frame: number
  label: LabelRow
  /** Where the shuttle centre projects even when the label is invisible (occluded). */
  x: number
  y: number
  speed: number
  why: string
}

/** Decodes the whole clip once, keeping only the wanted frames (rgb24). */
function decodeFrames(ffmpeg: string, video: string, wanted: Set<number>): Promise<Map<number, Buffer>> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, ['-v', 'error', '-i', video, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'])
    const size = W * H * 3
    const kept = new Map<number, Buffer>()
    let frame = 0
    let pending: Buffer[] = []
    let have = 0
    child.stdout.on('data', (chunk: Buffer) => {
      pending.push(chunk)
      have += chunk.length
      while (have >= size) {
        const all = Buffer.concat(pending)
        if (wanted.has(frame)) kept.set(frame, Buffer.from(all.subarray(0, size)))
        pending = [all.subarray(size)]
        have -= size
        frame++
      }
    })
    child.on('error', reject)
    child.on('close', (code) => (code === 0 ? resolve(kept) : reject(new Error(`ffmpeg exited ${code}`))))
  })
}

class Sheet {
  readonly buf: Buffer
  constructor(
    readonly width: number,
    readonly height: number
  ) {
    this.buf = Buffer.alloc(width * height * 3, 24)
  }

  set(x: number, y: number, r: number, g: number, b: number): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return
    const o = (y * this.width + x) * 3
    this.buf[o] = r
    this.buf[o + 1] = g
    this.buf[o + 2] = b
  }

  /** Box-filter downscale of a full frame into the sheet. */
  thumb(src: Buffer, factorW: number, factorH: number, ox: number, oy: number): void {
    const tw = Math.floor(W / factorW)
    const th = Math.floor(H / factorH)
    for (let y = 0; y < th; y++) {
      for (let x = 0; x < tw; x++) {
        let ar = 0
        let ag = 0
        let ab = 0
        let n = 0
        for (let yy = Math.floor(y * factorH); yy < Math.floor((y + 1) * factorH); yy++) {
          for (let xx = Math.floor(x * factorW); xx < Math.floor((x + 1) * factorW); xx++) {
            const o = (yy * W + xx) * 3
            ar += src[o]!
            ag += src[o + 1]!
            ab += src[o + 2]!
            n++
          }
        }
        this.set(ox + x, oy + y, ar / n, ag / n, ab / n)
      }
    }
  }

  crop(src: Buffer, cx: number, cy: number, ox: number, oy: number): void {
    const x0 = Math.round(cx) - CROP / 2
    const y0 = Math.round(cy) - CROP / 2
    for (let y = 0; y < CROP; y++) {
      for (let x = 0; x < CROP; x++) {
        const sx = Math.min(W - 1, Math.max(0, x0 + x))
        const sy = Math.min(H - 1, Math.max(0, y0 + y))
        const o = (sy * W + sx) * 3
        for (let dy = 0; dy < ZOOM; dy++) {
          for (let dx = 0; dx < ZOOM; dx++)
            this.set(ox + x * ZOOM + dx, oy + y * ZOOM + dy, src[o]!, src[o + 1]!, src[o + 2]!)
        }
      }
    }
    // Label ticks: short red marks left/right/above/below the label, leaving the shuttle itself untouched.
    const lx = ox + (cx - x0) * ZOOM + ZOOM / 2
    const ly = oy + (cy - y0) * ZOOM + ZOOM / 2
    for (let k = 14; k < 22; k++) {
      for (const [dx, dy] of [
        [k, 0],
        [-k, 0],
        [0, k],
        [0, -k]
      ] as const) {
        this.set(Math.round(lx + dx), Math.round(ly + dy), 255, 40, 40)
      }
    }
  }

  text(s: string, ox: number, oy: number, scale: number): void {
    for (let i = 0; i < s.length; i++) {
      for (let row = 0; row < 5; row++) {
        for (let col = 0; col < 3; col++) {
          if (!digitInk(s[i]!, col, row)) continue
          for (let dy = 0; dy < scale; dy++) {
            for (let dx = 0; dx < scale; dx++)
              this.set(ox + (i * 4 + col) * scale + dx, oy + row * scale + dy, 230, 230, 230)
          }
        }
      }
    }
  }
}

function encodeImage(ffmpeg: string, sheet: Sheet, out: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, [
      '-v',
      'error',
      '-y',
      ...rawRgbInputArgs(sheet.width, sheet.height),
      '-frames:v',
      '1',
      // A JPEG of good quality is a sixth of the PNG's size, and the sheet is a photograph-like picture.
      ...(/\.jpe?g$/i.test(out) ? ['-q:v', '4'] : []),
      out
    ])
    child.on('error', reject)
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited ${code}`))))
    child.stdin.end(sheet.buf)
  })
}

async function main(): Promise<void> {
  const seed = Number(arg('seed', '7'))
  const outFile = arg('out', path.join('docs', 'synth-contact-sheet.jpg'))
  const ffmpeg = (await locateFfmpeg()).ffmpegPath
  const dir = await mkdtemp(path.join(tmpdir(), 'synth-sheet-'))
  try {
    const opts = checkSynthOptions({
      out: dir,
      match: 'sheet',
      clips: 1,
      seconds: Number(arg('seconds', '16')),
      width: W,
      height: H,
      fps: FPS,
      seed,
      exposure: 0.5,
      mode: 'broadcast',
      preset: 'veryfast',
      crf: 20
    })
    await generateMatch(opts, ffmpeg)
    const match = path.join(dir, 'sheet')
    const labels = parseLabels(await readFile(path.join(match, 'csv', 'clip_01_ball.csv'), 'utf8'))
    const synth = JSON.parse(await readFile(path.join(match, 'synth.json'), 'utf8')) as {
      camera: { projection3x4: number[] }
      clips: {
        hits: { frame: number }[]
        perFrame: {
          position: ([number, number, number] | null)[]
          occlusion: number[]
          speedKmh: number[]
          shakeX: number[]
          shakeY: number[]
        }
      }[]
    }
    const pf = synth.clips[0]!.perFrame
    const P = synth.camera.projection3x4
    const proj = (k: number): [number, number] | null => {
      const p = pf.position[k]
      if (!p) return null
      const w = P[8]! * p[0] + P[9]! * p[1] + P[10]! * p[2] + P[11]!
      return [
        (P[0]! * p[0] + P[1]! * p[1] + P[2]! * p[2] + P[3]!) / w + pf.shakeX[k]!,
        (P[4]! * p[0] + P[5]! * p[1] + P[6]! * p[2] + P[7]!) / w + pf.shakeY[k]!
      ]
    }
    const speed = (k: number): number => pf.speedKmh[k]!
    const candidates: Pick[] = []
    for (let k = 1; k < labels.length - 1; k++) {
      const q = proj(k)
      if (!q || q[0] < 0 || q[1] < 0 || q[0] > W - 1 || q[1] > H - 1) continue
      candidates.push({ frame: k, label: labels[k]!, x: q[0], y: q[1], speed: speed(k), why: '' })
    }
    const picks: Pick[] = []
    const occ = (p: Pick): number => pf.occlusion[p.frame]!
    const bySpeed = (a: Pick, b: Pick): number => b.speed - a.speed
    const byFrame = (a: Pick, b: Pick): number => a.frame - b.frame
    const take = (
      why: string,
      filter: (p: Pick) => boolean,
      order: (a: Pick, b: Pick) => number,
      n: number
    ): void => {
      let added = 0
      for (const p of candidates.filter(filter).sort(order)) {
        if (added >= n) break
        // Frames close together look alike; keep the sheet varied.
        if (picks.some((q) => Math.abs(q.frame - p.frame) < 8)) continue
        picks.push({ ...p, why })
        added++
      }
    }
    // Mid-flight frames (not the frame of a hit or the one after it) show a shot's streak rather than the racket.
    const hitFrames = synth.clips[0]!.hits.map((h) => h.frame)
    const midFlight = (p: Pick): boolean => !hitFrames.some((f) => p.frame >= f && p.frame <= f + 1)
    take('fastest in flight', (p) => p.label.visible && midFlight(p), bySpeed, 3)
    take('at the racket', (p) => p.label.visible && !midFlight(p) && p.speed > 150, bySpeed, 1)
    take('fast', (p) => p.label.visible && p.speed > 90 && p.speed < 200, bySpeed, 3)
    take('medium', (p) => p.label.visible && p.speed > 30 && p.speed <= 90, byFrame, 3)
    take('slow', (p) => p.label.visible && p.speed > 0.5 && p.speed <= 30, byFrame, 2)
    take('still', (p) => p.label.visible && p.speed <= 0.5, byFrame, 2)
    take('occluded in flight', (p) => !p.label.visible && p.speed > 5 && occ(p) > 0.5, bySpeed, 3)
    take('occluded', (p) => !p.label.visible && occ(p) > 0.5, byFrame, 1)
    take('partly hidden', (p) => p.label.visible && occ(p) > 0, byFrame, 2)
    const rows = Math.ceil(picks.length / COLS)
    const cell = CROP * ZOOM + 12
    const thumbW = W / 2
    const thumbH = H / 2
    const sheet = new Sheet(thumbW + 16 + 512 + 16, thumbH + 16 + rows * (cell + 16) + 8)
    // The full frame: the fastest visible moment, so the streak is in it.
    const fullFrame = picks[0]?.frame ?? 0
    const frames = await decodeFrames(
      ffmpeg,
      path.join(match, 'video', 'clip_01.mp4'),
      new Set([fullFrame, ...picks.map((p) => p.frame)])
    )
    sheet.thumb(frames.get(fullFrame)!, 2, 2, 8, 8)
    sheet.thumb(frames.get(fullFrame)!, W / 512, H / 288, thumbW + 16, 8)
    picks.forEach((p, i) => {
      const ox = 8 + (i % COLS) * cell
      const oy = thumbH + 16 + Math.floor(i / COLS) * (cell + 16)
      sheet.crop(frames.get(p.frame)!, p.x, p.y, ox, oy)
      sheet.text(`${Math.round(p.speed)}kmh v${p.label.visible ? 1 : 0}`, ox, oy + CROP * ZOOM + 3, 2)
    })
    await encodeImage(ffmpeg, sheet, outFile)
    console.log(`wrote ${outFile} (seed ${seed}, full frame ${fullFrame})`)
    for (const [i, p] of picks.entries()) {
      console.log(
        `  crop ${i + 1}: frame ${p.frame}, ${p.why}, ${Math.round(p.speed)} km/h, visible ${p.label.visible ? 1 : 0}, occlusion ${pf.occlusion[p.frame]}`
      )
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err))
  process.exit(1)
})
