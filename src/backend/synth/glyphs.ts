// Runs in the backend (plain Node): made-up "lettering" for sponsor logos on boards and floor, and a tiny 3x5
// digit font for the contact sheet's captions (no font files needed anywhere).
import { hash32 } from './prng'

/** Whether the point (a, b) in [0,1)^2 of a logo box with `chars` letters is ink, for a logo keyed by `id`. */
export function logoInk(id: number, chars: number, a: number, b: number): boolean {
  if (a < 0 || a >= 1 || b < 0 || b >= 1) return false
  const pos = a * chars
  const ci = Math.floor(pos)
  // Each letter cell is 4 columns (3 ink + 1 gap) by 5 rows.
  const gx = Math.floor((pos - ci) * 4)
  if (gx === 3) return false
  const gy = Math.floor(b * 5)
  // Bits 0-14 form a random glyph; forcing the middle column on keeps letters looking solid, not like noise.
  const bits = (hash32(id, ci, 77) & 0x7fff) | 0x2492
  return ((bits >> (gy * 3 + gx)) & 1) === 1
}

const DIGITS: Record<string, number> = {
  '0': 0b111101101101111,
  '1': 0b010110010010111,
  '2': 0b111001111100111,
  '3': 0b111001111001111,
  '4': 0b101101111001001,
  '5': 0b111100111001111,
  '6': 0b111100111101111,
  '7': 0b111001001001001,
  '8': 0b111101111101111,
  '9': 0b111101111001111,
  v: 0b101101101101010,
  k: 0b101101110101101,
  m: 0b101111111101101,
  h: 0b101101111101101,
  o: 0b000111101101111,
  c: 0b000111100100111,
  '-': 0b000000111000000,
  ' ': 0
}

/** Whether cell (col, row) of a 3x5 glyph is ink; rows top to bottom. */
export function digitInk(ch: string, col: number, row: number): boolean {
  const bits = DIGITS[ch] ?? 0
  return ((bits >> (14 - (row * 3 + col))) & 1) === 1
}
