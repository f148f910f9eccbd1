// Runs in the backend (plain Node): renders the static part of a match's picture once — court, lines, floor logos,
// light reflections, advertising boards, crowd, net and posts — with a margin for camera shake, plus a few noisy
// copies so each frame only has to copy rows of one of them. The net is also kept as a separate layer so that a
// player or shuttle behind it can be drawn with the net in front.
import { rayThrough, type Camera } from './camera'
import {
  COURT_HALF_LENGTH,
  COURT_HALF_WIDTH,
  courtLines,
  LINE_WIDTH,
  NET_DEPTH,
  NET_TAPE,
  netTopAt
} from './court'
import { logoInk } from './glyphs'
import { hash32, type Rng } from './prng'
import type { RGB, Venue } from './venue'

export interface NetLayer {
  /** Box in background coordinates. */
  x0: number
  y0: number
  w: number
  h: number
  /** Coverage 0-1 per pixel; >= OCCLUDING_NET_ALPHA where tape or a post hides what is behind it. */
  alpha: Float32Array
  /** Lit colour per pixel (rgb24). */
  rgb: Uint8Array
}

export const OCCLUDING_NET_ALPHA = 0.75

export interface Background {
  margin: number
  bw: number
  bh: number
  /** Noisy copies of the lit background; frames copy rows from one of them. */
  variants: Buffer[]
  net: NetLayer
  /** Zero-mean noise values for drawing moving objects with the same grain as the background. */
  noise: Int8Array
  /** Multiplier applied to object colours (light level times colour cast). */
  gain: RGB
}

const NOISE_SIZE = 1 << 18
const BACK_BOARDS_Y = COURT_HALF_LENGTH + 2.3
const SIDE_BOARDS_X = COURT_HALF_WIDTH + 2.6
const NEAR_FLOOR_Y = -COURT_HALF_LENGTH - 9
const BOARD_HEIGHT = 0.9
const MAT_MARGIN_X = 1.1
const MAT_MARGIN_Y = 1.7

interface FloorLogo {
  cx: number
  cy: number
  /** Half sizes in x and y. */
  hx: number
  hy: number
  /** Text runs along x (true) or along y. */
  alongX: boolean
  chars: number
  id: number
}

interface Glare {
  x: number
  y: number
  r: number
}

function floorLogos(rng: Rng): FloorLogo[] {
  const logos: FloorLogo[] = []
  const y = COURT_HALF_LENGTH + 0.9
  for (const sx of [-1, 1]) {
    logos.push({
      cx: sx * 1.6,
      cy: y,
      hx: 1.1,
      hy: 0.28,
      alongX: true,
      chars: rng.int(5, 8),
      id: rng.nextU32()
    })
    logos.push({
      cx: sx * (COURT_HALF_WIDTH + 0.62),
      cy: rng.range(-4, 4),
      hx: 0.26,
      hy: 1.2,
      alongX: false,
      chars: rng.int(5, 8),
      id: rng.nextU32()
    })
  }
  return logos
}

function glares(rng: Rng): Glare[] {
  const list: Glare[] = []
  const n = rng.int(3, 7)
  for (let i = 0; i < n; i++) {
    list.push({ x: rng.range(-4.5, 4.5), y: rng.range(-7, 8), r: rng.range(0.5, 1.3) })
  }
  return list
}

export function renderBackground(rng: Rng, cam: Camera, venue: Venue, shakeMargin: number): Background {
  const M = shakeMargin
  const bw = cam.width + 2 * M
  const bh = cam.height + 2 * M
  const lines = courtLines()
  const logos = floorLogos(rng)
  const spots = glares(rng)
  const crowdSeed = rng.nextU32()
  const boardSeed = rng.nextU32()
  const [Cx, Cy, Cz] = cam.position
  const half = LINE_WIDTH / 2
  // Seat rows: about cam.height/70 tall at the top of the picture, growing to about cam.height/30 at the bottom.
  const crowdA = Math.max(2.5, cam.height / 70)
  const crowdB = (cam.height / 30 - crowdA) / (cam.height + 2 * shakeMargin)

  const lineCoverage = (X: number, Y: number): number => {
    let best = 1e9
    for (const s of lines) {
      // Axis-aligned segments: the distance is cheap to compute directly.
      const dx =
        X < Math.min(s.x0, s.x1)
          ? Math.min(s.x0, s.x1) - X
          : X > Math.max(s.x0, s.x1)
            ? X - Math.max(s.x0, s.x1)
            : 0
      const dy =
        Y < Math.min(s.y0, s.y1)
          ? Math.min(s.y0, s.y1) - Y
          : Y > Math.max(s.y0, s.y1)
            ? Y - Math.max(s.y0, s.y1)
            : 0
      const d = dx > dy ? dx : dy
      if (d < best) best = d
    }
    return best <= half ? 1 : 0
  }

  const floorAt = (X: number, Y: number, out: number[]): void => {
    const onMat =
      Math.abs(X) <= COURT_HALF_WIDTH + MAT_MARGIN_X && Math.abs(Y) <= COURT_HALF_LENGTH + MAT_MARGIN_Y
    const base = onMat ? venue.court : venue.surround
    // A faint large-scale unevenness of the mat so the floor is not a flat synthetic colour.
    const wob = 1 + 0.04 * Math.sin(X * 0.9 + Y * 0.35) * Math.cos(Y * 0.6 - X * 0.2)
    out[0] = base[0] * wob
    out[1] = base[1] * wob
    out[2] = base[2] * wob
    for (const l of logos) {
      const a = (X - (l.cx - l.hx)) / (2 * l.hx)
      const b = (Y - (l.cy - l.hy)) / (2 * l.hy)
      // Floor text reads from the camera: along x it is upright with y up the court.
      const ink = l.alongX ? logoInk(l.id, l.chars, a, 1 - b) : logoInk(l.id, l.chars, b, a)
      if (ink) {
        out[0] = venue.floorLogo[0]
        out[1] = venue.floorLogo[1]
        out[2] = venue.floorLogo[2]
      }
    }
  }

  let lastI = NaN
  let lastJ = NaN
  let lastH = 0
  let lastSkin = 0
  let lastShirt = 0
  const crowdAt = (u: number, v: number, out: number[]): void => {
    // Rows of seats shrink towards the top of the picture (further away): with a row height growing linearly
    // down the image, a + b*v, the row coordinate is ln(a + b*v) / b.
    const rowPos = Math.log(crowdA + crowdB * (v + M)) / crowdB
    const j = Math.floor(rowPos)
    const ly = rowPos - j
    const rowCentre = (Math.exp(crowdB * (j + 0.5)) - crowdA) / crowdB
    const cw = crowdA + crowdB * rowCentre
    const shift = ((hash32(crowdSeed, j, 99) & 255) / 255) * cw
    const i = Math.floor((u + shift) / cw)
    const lx = (u + shift) / cw - i
    // Neighbouring pixels share a cell: reuse its hashes instead of recomputing them per pixel.
    if (i !== lastI || j !== lastJ) {
      lastI = i
      lastJ = j
      lastH = hash32(crowdSeed, i, j)
      lastSkin = hash32(lastH, 1) % 5
      lastShirt = hash32(lastH, 2)
    }
    const h = lastH
    const dim = venue.crowdLight * (0.6 + 0.4 * ((h >>> 24) / 255))
    out[0] = 24 * dim
    out[1] = 24 * dim
    out[2] = 30 * dim
    if ((h & 15) < 2) return
    const jx = (((h >>> 4) & 15) / 15 - 0.5) * 0.3
    const hx = lx - (0.5 + jx)
    const hy = ly - 0.3
    const skin = lastSkin
    const shirtHue = lastShirt
    if (hx * hx + hy * hy < 0.045) {
      const s = [236, 214, 180, 130, 92][skin]!
      out[0] = s * dim
      out[1] = s * 0.78 * dim
      out[2] = s * 0.62 * dim
    } else if (ly > 0.5 && Math.abs(hx) < 0.36) {
      // Spectators' clothes: mostly muted, a few bright (team colours, flags).
      const sat = shirtHue >>> 24 < 60 ? 0.8 : 0.35
      const grey = 70 * (1 - sat)
      out[0] = (grey + 20 + (shirtHue & 255) * sat) * dim
      out[1] = (grey + 20 + ((shirtHue >>> 8) & 255) * sat) * dim
      out[2] = (grey + 20 + ((shirtHue >>> 16) & 255) * sat) * dim
    }
  }

  const boardAt = (s: number, z: number, side: number, out: number[]): void => {
    const panel = Math.floor((s + 100) / 2.6)
    const h = hash32(boardSeed, panel, side)
    const c = venue.boards[h % venue.boards.length]!
    out[0] = c[0]
    out[1] = c[1]
    out[2] = c[2]
    const local = (s + 100) / 2.6 - panel
    const ink = logoInk(
      h,
      4 + (h % 4),
      (local - 0.12) / 0.76,
      (BOARD_HEIGHT - 0.18 - z) / (BOARD_HEIGHT - 0.36)
    )
    if (ink) {
      out[0] = venue.boardLogo[0]
      out[1] = venue.boardLogo[1]
      out[2] = venue.boardLogo[2]
    }
    if (z > BOARD_HEIGHT - 0.03) {
      out[0] = out[0] * 0.5 + 110
      out[1] = out[1] * 0.5 + 110
      out[2] = out[2] * 0.5 + 110
    }
  }

  const albedo = new Float32Array(bw * bh * 3)
  const col = [0, 0, 0]
  // Line boxes (the lines are axis-aligned) for the cheap "is this pixel near a line" test.
  const boxes = lines.map((s) => [
    Math.min(s.x0, s.x1),
    Math.max(s.x0, s.x1),
    Math.min(s.y0, s.y1),
    Math.max(s.y0, s.y1)
  ])
  // The ray is linear in (u, v): r = c0 + u * du + v * dv, so no per-pixel matrix work or allocation.
  const R = cam.R
  const du = [R[0]! / cam.f, R[1]! / cam.f, R[2]! / cam.f]
  const dv = [R[3]! / cam.f, R[4]! / cam.f, R[5]! / cam.f]
  const c0 = rayThrough(cam, 0, 0)
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      const u = bx - M
      const v = by - M
      const rx = c0[0] + u * du[0]! + v * dv[0]!
      const ry = c0[1] + u * du[1]! + v * dv[1]!
      const rz = c0[2] + u * du[2]! + v * dv[2]!
      let best = Infinity
      let kind = 0
      let hitS = 0
      let hitZ = 0
      let side = 0
      if (rz < 0) {
        const t = -Cz / rz
        const X = Cx + t * rx
        const Y = Cy + t * ry
        if (Math.abs(X) < SIDE_BOARDS_X && Y < BACK_BOARDS_Y && Y > NEAR_FLOOR_Y) {
          best = t
          kind = 1
        }
      }
      if (ry > 0) {
        const t = (BACK_BOARDS_Y - Cy) / ry
        const X = Cx + t * rx
        const Z = Cz + t * rz
        if (t < best && Z >= 0 && Z <= BOARD_HEIGHT && Math.abs(X) <= SIDE_BOARDS_X) {
          best = t
          kind = 2
          hitS = X
          hitZ = Z
          side = 0
        }
      }
      if (rx !== 0) {
        for (let sx = -1; sx <= 1; sx += 2) {
          const t = (sx * SIDE_BOARDS_X - Cx) / rx
          if (t <= 0 || t >= best) continue
          const Y = Cy + t * ry
          const Z = Cz + t * rz
          if (Z >= 0 && Z <= BOARD_HEIGHT && Y <= BACK_BOARDS_Y && Y > NEAR_FLOOR_Y) {
            best = t
            kind = 2
            hitS = Y
            hitZ = Z
            side = sx
          }
        }
      }
      if (kind === 1) {
        const X = Cx + best * rx
        const Y = Cy + best * ry
        floorAt(X, Y, col)
        // Lines: supersample only near them (they are 4 cm wide, often thinner than a pixel far away).
        let near = false
        for (const b of boxes) {
          if (X > b[0]! - 0.15 && X < b[1]! + 0.15 && Y > b[2]! - 0.15 && Y < b[3]! + 0.15) {
            near = true
            break
          }
        }
        if (near) {
          let cover = 0
          for (let sy = -1; sy <= 1; sy++) {
            for (let sx = -1; sx <= 1; sx++) {
              const ax = rx + (sx * du[0]! + sy * dv[0]!) / 3
              const ay = ry + (sx * du[1]! + sy * dv[1]!) / 3
              const az = rz + (sx * du[2]! + sy * dv[2]!) / 3
              if (az >= 0) continue
              const t = -Cz / az
              cover += lineCoverage(Cx + t * ax, Cy + t * ay)
            }
          }
          cover /= 9
          for (let k = 0; k < 3; k++) col[k] = col[k]! * (1 - cover) + venue.line[k]! * cover
        }
        let g = 0
        for (const sp of spots) {
          const d2 = ((X - sp.x) ** 2 + (Y - sp.y) ** 2) / (sp.r * sp.r)
          if (d2 < 9) g += Math.exp(-d2)
        }
        const add = g * venue.glare * 150
        col[0] = col[0]! + add
        col[1] = col[1]! + add
        col[2] = col[2]! + add
      } else if (kind === 2) {
        boardAt(hitS, hitZ, side, col)
      } else {
        crowdAt(u, v, col)
      }
      const o = (by * bw + bx) * 3
      albedo[o] = col[0]!
      albedo[o + 1] = col[1]!
      albedo[o + 2] = col[2]!
    }
  }

  const gain: RGB = [venue.light * venue.tint[0], venue.light * venue.tint[1], venue.light * venue.tint[2]]
  const net = renderNet(cam, venue, M, bw, bh, gain)
  const clean = Buffer.alloc(bw * bh * 3)
  const cxImg = cam.cx + M
  const cyImg = cam.cy + M
  const rmax2 = cxImg * cxImg + cyImg * cyImg
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      // Lens vignetting: a gentle fall-off towards the corners, as on real broadcast glass.
      const vig = 1 - 0.22 * (((bx - cxImg) ** 2 + (by - cyImg) ** 2) / rmax2)
      const o = (by * bw + bx) * 3
      let r = albedo[o]! * gain[0] * vig
      let g = albedo[o + 1]! * gain[1] * vig
      let b = albedo[o + 2]! * gain[2] * vig
      const nx = bx - net.x0
      const ny = by - net.y0
      if (nx >= 0 && ny >= 0 && nx < net.w && ny < net.h) {
        const ni = ny * net.w + nx
        const a = net.alpha[ni]!
        if (a > 0) {
          r = r * (1 - a) + net.rgb[ni * 3]! * a
          g = g * (1 - a) + net.rgb[ni * 3 + 1]! * a
          b = b * (1 - a) + net.rgb[ni * 3 + 2]! * a
        }
      }
      clean[o] = r < 0 ? 0 : r > 255 ? 255 : r + 0.5
      clean[o + 1] = g < 0 ? 0 : g > 255 ? 255 : g + 0.5
      clean[o + 2] = b < 0 ? 0 : b > 255 ? 255 : b + 0.5
    }
  }

  const noise = new Int8Array(NOISE_SIZE)
  for (let i = 0; i < NOISE_SIZE; i++)
    noise[i] = Math.max(-127, Math.min(127, Math.round(rng.normal(0, venue.noise))))
  const variants: Buffer[] = []
  for (let k = 0; k < 4; k++) {
    const out = Buffer.alloc(clean.length)
    // A different stride per copy so the grain does not repeat between copies.
    const off = rng.int(0, NOISE_SIZE - 1)
    const mul = 1 + 2 * k
    const mask = NOISE_SIZE - 1
    for (let i = 0; i < clean.length; i++) {
      const val = clean[i]! + noise[(i * mul + off) & mask]!
      out[i] = val < 0 ? 0 : val > 255 ? 255 : val
    }
    variants.push(out)
  }
  return { margin: M, bw, bh, variants, net, noise, gain }
}

export function renderNet(cam: Camera, venue: Venue, M: number, bw: number, bh: number, gain: RGB): NetLayer {
  // The net's box: project its corners and post tops, then add a safety border.
  const pts: [number, number][] = []
  for (const x of [-COURT_HALF_WIDTH - 0.3, COURT_HALF_WIDTH + 0.3]) {
    for (const z of [0, 1.6]) {
      const [rx, ry, rz] = [x - cam.position[0], -cam.position[1], z - cam.position[2]]
      const R = cam.R
      const xc = R[0]! * rx + R[1]! * ry + R[2]! * rz
      const yc = R[3]! * rx + R[4]! * ry + R[5]! * rz
      const zc = R[6]! * rx + R[7]! * ry + R[8]! * rz
      pts.push([cam.cx + (cam.f * xc) / zc + M, cam.cy + (cam.f * yc) / zc + M])
    }
  }
  const x0 = Math.max(0, Math.floor(Math.min(...pts.map((p) => p[0]))) - 4)
  const x1 = Math.min(bw, Math.ceil(Math.max(...pts.map((p) => p[0]))) + 4)
  const y0 = Math.max(0, Math.floor(Math.min(...pts.map((p) => p[1]))) - 4)
  const y1 = Math.min(bh, Math.ceil(Math.max(...pts.map((p) => p[1]))) + 4)
  const w = Math.max(0, x1 - x0)
  const h = Math.max(0, y1 - y0)
  const alpha = new Float32Array(w * h)
  const rgb = new Uint8Array(w * h * 3)
  const [Cx, Cy, Cz] = cam.position
  const mesh = 0.0035 / 0.019
  const R = cam.R
  const du = [R[0]! / cam.f, R[1]! / cam.f, R[2]! / cam.f]
  const dv = [R[3]! / cam.f, R[4]! / cam.f, R[5]! / cam.f]
  const c0 = rayThrough(cam, 0, 0)
  for (let py = 0; py < h; py++) {
    for (let px = 0; px < w; px++) {
      let n = 0
      let sr = 0
      let sg = 0
      let sb = 0
      for (let sy = -1; sy <= 1; sy++) {
        for (let sx = -1; sx <= 1; sx++) {
          const u = px + x0 - M + sx / 3
          const v = py + y0 - M + sy / 3
          const rx = c0[0] + u * du[0]! + v * dv[0]!
          const ry = c0[1] + u * du[1]! + v * dv[1]!
          const rz = c0[2] + u * du[2]! + v * dv[2]!
          if (ry <= 0) continue
          const t = -Cy / ry
          const X = Cx + t * rx
          const Z = Cz + t * rz
          const ax = Math.abs(X)
          let c: RGB | null = null
          if (Math.abs(ax - COURT_HALF_WIDTH) < 0.022 && Z >= 0 && Z <= 1.56) c = venue.post
          else if (ax <= COURT_HALF_WIDTH) {
            const top = netTopAt(X)
            if (Z <= top && Z >= top - NET_TAPE) c = venue.netTape
            else if (Z < top - NET_TAPE && Z >= top - NET_DEPTH) {
              const fx = (X / 0.019) % 1
              const fz = (Z / 0.019) % 1
              if (Math.abs(fx) < mesh || Math.abs(fz) < mesh || Z < top - NET_DEPTH + 0.02) c = venue.netMesh
            }
          }
          if (c) {
            n++
            sr += c[0]
            sg += c[1]
            sb += c[2]
          }
        }
      }
      if (n === 0) continue
      const i = py * w + px
      alpha[i] = n / 9
      rgb[i * 3] = Math.min(255, (sr / n) * gain[0])
      rgb[i * 3 + 1] = Math.min(255, (sg / n) * gain[1])
      rgb[i * 3 + 2] = Math.min(255, (sb / n) * gain[2])
    }
  }
  return { x0, y0, w, h, alpha, rgb }
}
