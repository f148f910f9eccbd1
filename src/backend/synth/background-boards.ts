// Runs in the backend (plain Node): the advertising boards around the court — panels of sponsor colours with a
// logo each and a lit top edge, drawn from a seed.
import { BOARD_HEIGHT } from './background-trace'
import { logoInk } from './glyphs'
import { hash32 } from './prng'
import type { Venue } from './venue'

/** Width of one advertising panel (m). */
const PANEL_WIDTH = 2.6

/** Writes the colour of a board at position s along it and height z into out; side says which board. */
export type BoardShader = (s: number, z: number, side: number, out: number[]) => void

export function boardShader(seed: number, venue: Venue): BoardShader {
  return (s, z, side, out) => {
    // The offset keeps the panel index positive along every board.
    const panel = Math.floor((s + 100) / PANEL_WIDTH)
    const h = hash32(seed, panel, side)
    const c = venue.boards[h % venue.boards.length]!
    out[0] = c[0]
    out[1] = c[1]
    out[2] = c[2]
    const local = (s + 100) / PANEL_WIDTH - panel
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
    // The top edge catches the light.
    if (z > BOARD_HEIGHT - 0.03) {
      out[0] = out[0] * 0.5 + 110
      out[1] = out[1] * 0.5 + 110
      out[2] = out[2] * 0.5 + 110
    }
  }
}
