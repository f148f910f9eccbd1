// Runs in the backend (plain Node): drawing moving things into one rgb24 frame: anti-aliased capsules (limbs,
// bodies, heads are capsules with equal ends), rings, and an alpha map (the blurred shuttle), with the camera grain
// and, for things beyond the net, the net layer composited back on top.
import type { Background } from './background'
import type { RGB } from './venue'

/** A 2-D capsule in frame pixels: the set of points within r of the segment (x0,y0)-(x1,y1). */
export interface Capsule {
  x0: number
  y0: number
  x1: number
  y1: number
  r: number
  color: RGB
  alpha: number
  /** Ring: only the band between r - ring and r is drawn (a racket frame); 0 for a solid capsule. */
  ring: number
  /** Whether it hides a shuttle behind it (racket strings do not). */
  occludes: boolean
}

export class FrameCanvas {
  /** Noise offset for this frame, so object grain changes from frame to frame. */
  noiseOffset = 0
  /** Integer shake of this frame: frame pixel (x, y) shows background pixel (x + M - sx, y + M - sy). */
  sx = 0
  sy = 0
  /** Whether the object being drawn is beyond the net (so the net must stay in front of it). */
  behindNet = false

  constructor(
    readonly buf: Buffer,
    readonly width: number,
    readonly height: number,
    private readonly bg: Background | null
  ) {}

  /** Blends colour c (already lit) into pixel (x, y) with coverage a, adding grain and re-applying the net. */
  blend(x: number, y: number, c: RGB, a: number): void {
    if (a <= 0) return
    if (a > 1) a = 1
    let r = c[0]
    let g = c[1]
    let b = c[2]
    const bg = this.bg
    if (bg) {
      if (this.behindNet) {
        const net = bg.net
        const nx = x + bg.margin - this.sx - net.x0
        const ny = y + bg.margin - this.sy - net.y0
        if (nx >= 0 && ny >= 0 && nx < net.w && ny < net.h) {
          const ni = ny * net.w + nx
          const na = net.alpha[ni]!
          if (na > 0) {
            r = r * (1 - na) + net.rgb[ni * 3]! * na
            g = g * (1 - na) + net.rgb[ni * 3 + 1]! * na
            b = b * (1 - na) + net.rgb[ni * 3 + 2]! * na
          }
        }
      }
      const n = bg.noise[(y * 7919 + x * 3 + this.noiseOffset) & (bg.noise.length - 1)]!
      r += n
      g += n
      b += n
    }
    const o = (y * this.width + x) * 3
    const buf = this.buf
    const vr = buf[o]! + (r - buf[o]!) * a
    const vg = buf[o + 1]! + (g - buf[o + 1]!) * a
    const vb = buf[o + 2]! + (b - buf[o + 2]!) * a
    buf[o] = vr < 0 ? 0 : vr > 255 ? 255 : vr + 0.5
    buf[o + 1] = vg < 0 ? 0 : vg > 255 ? 255 : vg + 0.5
    buf[o + 2] = vb < 0 ? 0 : vb > 255 ? 255 : vb + 0.5
  }

  capsule(s: Capsule): void {
    const xa = Math.max(0, Math.floor(Math.min(s.x0, s.x1) - s.r - 1))
    const xb = Math.min(this.width - 1, Math.ceil(Math.max(s.x0, s.x1) + s.r + 1))
    const ya = Math.max(0, Math.floor(Math.min(s.y0, s.y1) - s.r - 1))
    const yb = Math.min(this.height - 1, Math.ceil(Math.max(s.y0, s.y1) + s.r + 1))
    const dx = s.x1 - s.x0
    const dy = s.y1 - s.y0
    const len2 = dx * dx + dy * dy
    for (let y = ya; y <= yb; y++) {
      for (let x = xa; x <= xb; x++) {
        const d = distToCapsuleAxis(x, y, s.x0, s.y0, dx, dy, len2)
        // One-pixel soft edge: the pixel's coverage of the shape's boundary.
        let cov = s.r + 0.5 - d
        if (s.ring > 0) cov = Math.min(cov, d - (s.r - s.ring) + 0.5)
        if (cov <= 0) continue
        this.blend(x, y, s.color, s.alpha * (cov > 1 ? 1 : cov))
      }
    }
  }
}

export function distToCapsuleAxis(
  px: number,
  py: number,
  x0: number,
  y0: number,
  dx: number,
  dy: number,
  len2: number
): number {
  let u = len2 > 0 ? ((px - x0) * dx + (py - y0) * dy) / len2 : 0
  u = u < 0 ? 0 : u > 1 ? 1 : u
  const ex = px - (x0 + u * dx)
  const ey = py - (y0 + u * dy)
  return Math.sqrt(ex * ex + ey * ey)
}

/** Whether a frame point lies inside a capsule that hides what is behind it. */
export function insideOccluder(s: Capsule, px: number, py: number): boolean {
  if (!s.occludes) return false
  const dx = s.x1 - s.x0
  const dy = s.y1 - s.y0
  return distToCapsuleAxis(px, py, s.x0, s.y0, dx, dy, dx * dx + dy * dy) <= s.r
}
