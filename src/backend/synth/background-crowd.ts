// Runs in the backend (plain Node): the crowd that fills the picture above and beside the boards — rows of seats
// in perspective, each seat empty or holding a spectator with a head and a shirt, all drawn from a seed.
import { hash32 } from './prng'
import type { Venue } from './venue'

const SKIN_LEVELS = [236, 214, 180, 130, 92]

/** Writes the crowd's colour at picture pixel (u, v) into out. */
export type CrowdShader = (u: number, v: number, out: number[]) => void

/** The crowd of a picture `height` pixels tall, drawn with a margin of `margin` pixels around it. */
export function crowdShader(seed: number, venue: Venue, height: number, margin: number): CrowdShader {
  // Seat rows: about height/70 tall at the top of the picture, growing to about height/30 at the bottom.
  const rowA = Math.max(2.5, height / 70)
  const rowB = (height / 30 - rowA) / (height + 2 * margin)
  // Neighbouring pixels share a seat: reuse its hashes instead of recomputing them per pixel.
  let lastI = NaN
  let lastJ = NaN
  let lastH = 0
  let lastSkin = 0
  let lastShirt = 0
  return (u, v, out) => {
    // Rows of seats shrink towards the top of the picture (further away): with a row height growing linearly
    // down the image, a + b*v, the row coordinate is ln(a + b*v) / b.
    const rowPos = Math.log(rowA + rowB * (v + margin)) / rowB
    const j = Math.floor(rowPos)
    const ly = rowPos - j
    const rowCentre = (Math.exp(rowB * (j + 0.5)) - rowA) / rowB
    const cw = rowA + rowB * rowCentre
    const shift = ((hash32(seed, j, 99) & 255) / 255) * cw
    const i = Math.floor((u + shift) / cw)
    const lx = (u + shift) / cw - i
    if (i !== lastI || j !== lastJ) {
      lastI = i
      lastJ = j
      lastH = hash32(seed, i, j)
      lastSkin = hash32(lastH, 1) % 5
      lastShirt = hash32(lastH, 2)
    }
    spectator(lastH, lastSkin, lastShirt, lx, ly, venue.crowdLight, out)
  }
}

/** One seat at seat coordinates (lx, ly) in 0-1: the seat's dark back, or a spectator's head or shirt. */
function spectator(
  h: number,
  skin: number,
  shirtHue: number,
  lx: number,
  ly: number,
  crowdLight: number,
  out: number[]
): void {
  const dim = crowdLight * (0.6 + 0.4 * ((h >>> 24) / 255))
  out[0] = 24 * dim
  out[1] = 24 * dim
  out[2] = 30 * dim
  // About one seat in eight is empty.
  if ((h & 15) < 2) return
  const jx = (((h >>> 4) & 15) / 15 - 0.5) * 0.3
  const hx = lx - (0.5 + jx)
  const hy = ly - 0.3
  if (hx * hx + hy * hy < 0.045) {
    const s = SKIN_LEVELS[skin]!
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
