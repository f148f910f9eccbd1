// Runs in the backend (plain Node): one clip's frames and their truth. For frame k it works out where the shuttle
// is (label = projection + shake), whether it is visible (in frame and not more than half hidden), and draws the
// frame: background copy, players and shuttle in depth order, the shuttle as its bright disk integrated over the
// exposure (a motion streak), or a single bright pixel in the label-check mode.
import type { Background, NetLayer } from './background'
import { OCCLUDING_NET_ALPHA } from './background'
import { project, type Camera } from './camera'
import { FrameCanvas, insideOccluder, type Capsule } from './canvas'
import { PlayerPoser, type PlayerFigure } from './players'
import type { Rng } from './prng'
import type { ClipPlan, Vec3 } from './rally'
import type { Shake } from './shake'
import { ShuttleTrack } from './track'
import type { RGB, Venue } from './venue'

export type RenderMode = 'broadcast' | 'bright-pixel'

export interface FrameTruth {
  /** Shuttle centre in court metres, or null while out of play. */
  position: Vec3 | null
  /** Shuttle speed at the frame time, km/h (0 while held or lying on the floor). */
  speedKmh: number
  /** Label in frame pixels (pixel centres at integer coordinates); meaningful when visible. */
  x: number
  y: number
  visible: boolean
  inFrame: boolean
  /** Share (0-1) of the exposure-time samples of the shuttle centre that lie behind a player, tape or post. */
  occlusion: number
  shake: [number, number]
}

/** Shuttle centre samples across the exposure; odd so the middle one is the frame time itself. */
const EXPOSURE_SAMPLES = 9
/** Radius of the drawn shuttle: a shuttle is about 6.5 cm across the skirt and 8.5 cm long, seen as a blob. */
const SHUTTLE_RADIUS_M = 0.04

export interface ClipRendererOptions {
  cam: Camera
  venue: Venue
  plan: ClipPlan
  fps: number
  /** Exposure time in seconds (at most one frame interval). */
  exposure: number
  mode: RenderMode
  background: Background | null
  net: NetLayer
  netMargin: number
  shake: Shake
  /** Per-frame choices (noise copy, grain offset). */
  rng: Rng
}

export class ClipRenderer {
  private readonly labelTrack: ShuttleTrack
  private readonly blurTrack: ShuttleTrack
  private readonly poser: PlayerPoser
  private lastVariant = 0

  constructor(private readonly o: ClipRendererOptions) {
    this.labelTrack = new ShuttleTrack(o.plan)
    this.blurTrack = new ShuttleTrack(o.plan)
    this.poser = new PlayerPoser(o.plan, o.cam, o.venue, o.background?.gain ?? [1, 1, 1])
  }

  /** Renders frame k into buf (width*height*3 bytes, rgb24) and returns its truth. Call with increasing k. */
  render(k: number, buf: Buffer): FrameTruth {
    const { cam, fps, exposure } = this.o
    const t = k / fps
    const [sx, sy] = this.o.shake.at(t)
    const sample = this.labelTrack.sample(t)
    const position = sample?.pos ?? null
    const samples: ({ u: number; v: number; depth: number } | null)[] = []
    for (let i = 0; i < EXPOSURE_SAMPLES; i++) {
      const ti = t + exposure * (i / (EXPOSURE_SAMPLES - 1) - 0.5)
      const p = this.blurTrack.at(ti)
      if (!p) {
        samples.push(null)
        continue
      }
      const q = project(cam, p[0], p[1], p[2])
      samples.push(q.depth > 0.1 ? { u: q.u + sx, v: q.v + sy, depth: q.depth } : null)
    }
    const figures: [PlayerFigure, PlayerFigure] = [
      this.poser.figure(0, t, sx, sy),
      this.poser.figure(1, t, sx, sy)
    ]

    let x = 0
    let y = 0
    let depth = 0
    let inFrame = false
    let occlusion = 0
    if (position) {
      const q = project(cam, position[0], position[1], position[2])
      x = q.u + sx
      y = q.v + sy
      depth = q.depth
      // In frame: the centre lies within the grid of pixel centres, so labels are never negative or past W-1/H-1.
      inFrame = q.depth > 0.1 && x >= 0 && x <= cam.width - 1 && y >= 0 && y <= cam.height - 1
      occlusion = this.occlusion(samples, figures, depth, position[1] > 0, sx, sy)
    }
    const visible = inFrame && occlusion <= 0.5
    const truth: FrameTruth = {
      position,
      speedKmh: (sample?.speed ?? 0) * 3.6,
      x,
      y,
      visible,
      inFrame,
      occlusion,
      shake: [sx, sy]
    }

    if (this.o.mode === 'bright-pixel') {
      buf.fill(0)
      if (visible) {
        const o = (Math.round(y) * cam.width + Math.round(x)) * 3
        buf[o] = 255
        buf[o + 1] = 255
        buf[o + 2] = 255
      }
      return truth
    }
    const bg = this.o.background
    if (!bg) throw new Error('broadcast mode needs a rendered background')
    this.copyBackground(bg, buf, sx, sy)
    const canvas = new FrameCanvas(buf, cam.width, cam.height, bg)
    canvas.sx = sx
    canvas.sy = sy
    canvas.noiseOffset = this.o.rng.nextU32()
    // Painter's order: farthest first. The shuttle takes its depth from the frame time.
    const items: { depth: number; draw: () => void }[] = [0, 1].map((p) => ({
      depth: figures[p]!.depth,
      draw: () => {
        canvas.behindNet = p === 1
        for (const s of figures[p]!.shapes) canvas.capsule(s)
      }
    }))
    if (position) {
      items.push({
        depth,
        draw: () => {
          canvas.behindNet = position[1] > 0
          this.drawShuttle(canvas, samples, depth, bg.gain)
        }
      })
    }
    items.sort((a, b) => b.depth - a.depth)
    for (const it of items) it.draw()
    return truth
  }

  private copyBackground(bg: Background, buf: Buffer, sx: number, sy: number): void {
    // Never the same noisy copy twice in a row, so the grain changes every frame.
    const n = bg.variants.length
    this.lastVariant = (this.lastVariant + 1 + Math.floor(this.o.rng.next() * (n - 1))) % n
    const src = bg.variants[this.lastVariant]!
    const { width, height } = this.o.cam
    const M = bg.margin
    const rowBytes = width * 3
    for (let yy = 0; yy < height; yy++) {
      const s = ((yy + M - sy) * bg.bw + (M - sx)) * 3
      src.copy(buf, yy * rowBytes, s, s + rowBytes)
    }
  }

  /**
   * Occlusion rule: the share of the exposure-time centre samples that fall inside a nearer player's body, head,
   * arm or legs (racket strings do not count: they are see-through), or, for a shuttle beyond the net, on the net
   * tape or a post. The frame's label is invisible when that share is above one half.
   */
  private occlusion(
    samples: readonly ({ u: number; v: number } | null)[],
    figures: readonly PlayerFigure[],
    depth: number,
    beyondNet: boolean,
    sx: number,
    sy: number
  ): number {
    let n = 0
    let hidden = 0
    const net = this.o.net
    const M = this.o.netMargin
    for (const s of samples) {
      if (!s) continue
      n++
      let covered = false
      for (const fig of figures) {
        if (fig.depth >= depth) continue
        for (const shape of fig.shapes) {
          if (insideOccluder(shape, s.u, s.v)) {
            covered = true
            break
          }
        }
        if (covered) break
      }
      if (!covered && beyondNet) {
        const nx = Math.round(s.u) + M - sx - net.x0
        const ny = Math.round(s.v) + M - sy - net.y0
        if (
          nx >= 0 &&
          ny >= 0 &&
          nx < net.w &&
          ny < net.h &&
          net.alpha[ny * net.w + nx]! >= OCCLUDING_NET_ALPHA
        ) {
          covered = true
        }
      }
      if (covered) hidden++
    }
    return n > 0 ? hidden / n : 0
  }

  /** The shuttle as a bright disk averaged over the exposure: positions are densified to <= 0.4 px apart. */
  private drawShuttle(
    canvas: FrameCanvas,
    samples: readonly ({ u: number; v: number } | null)[],
    depth: number,
    gain: RGB
  ): void {
    const cam = this.o.cam
    // Capped so it stays under 10 px across at 1080p even for a close shuttle.
    const r = Math.max(0.55, Math.min((4.7 * cam.height) / 1080, (SHUTTLE_RADIUS_M * cam.f) / depth))
    const pts: { u: number; v: number }[] = []
    let prev: { u: number; v: number } | null = null
    for (const s of samples) {
      if (!s) {
        prev = null
        continue
      }
      if (prev) {
        const steps = Math.max(1, Math.ceil(Math.hypot(s.u - prev.u, s.v - prev.v) / 0.4))
        for (let i = 1; i <= steps; i++) {
          pts.push({ u: prev.u + ((s.u - prev.u) * i) / steps, v: prev.v + ((s.v - prev.v) * i) / steps })
        }
      } else pts.push(s)
      prev = s
    }
    if (pts.length === 0) return
    let xa = Infinity
    let xb = -Infinity
    let ya = Infinity
    let yb = -Infinity
    for (const p of pts) {
      xa = Math.min(xa, p.u)
      xb = Math.max(xb, p.u)
      ya = Math.min(ya, p.v)
      yb = Math.max(yb, p.v)
    }
    const pad = Math.ceil(r) + 1
    const x0 = Math.max(0, Math.floor(xa) - pad)
    const x1 = Math.min(cam.width - 1, Math.ceil(xb) + pad)
    const y0 = Math.max(0, Math.floor(ya) - pad)
    const y1 = Math.min(cam.height - 1, Math.ceil(yb) + pad)
    if (x1 < x0 || y1 < y0) return
    const w = x1 - x0 + 1
    const acc = new Float32Array(w * (y1 - y0 + 1))
    const weight = 1 / pts.length
    for (const p of pts) {
      const ax = Math.max(x0, Math.floor(p.u - r - 1))
      const bx = Math.min(x1, Math.ceil(p.u + r + 1))
      const ay = Math.max(y0, Math.floor(p.v - r - 1))
      const by = Math.min(y1, Math.ceil(p.v + r + 1))
      for (let yy = ay; yy <= by; yy++) {
        for (let xx = ax; xx <= bx; xx++) {
          const cov = r + 0.5 - Math.hypot(xx - p.u, yy - p.v)
          if (cov > 0) {
            const i = (yy - y0) * w + (xx - x0)
            acc[i] = acc[i]! + (cov > 1 ? 1 : cov) * weight
          }
        }
      }
    }
    const white: RGB = [
      255 * Math.min(1.1, gain[0] * 1.08),
      255 * Math.min(1.1, gain[1] * 1.08),
      250 * Math.min(1.1, gain[2] * 1.08)
    ]
    for (let yy = y0; yy <= y1; yy++) {
      for (let xx = x0; xx <= x1; xx++) {
        const a = acc[(yy - y0) * w + (xx - x0)]!
        if (a > 0.003) canvas.blend(xx, yy, white, a)
      }
    }
  }
}

export type { Capsule }
