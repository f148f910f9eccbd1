// Runs everywhere (shared): the compact form of a clip's labels on the wire and in the clip's state file —
// each column as base64 of its typed array (little-endian, as every platform the studio runs on). A
// 200,000-frame clip is ~7 MB of text that decodes in milliseconds, where JSON number arrays would be
// 1.2 million values to parse and validate.
import { createColumns, type ClipColumns } from './columns'

export interface ColumnsWire {
  frameCount: number
  /** base64 of Uint8Array: index into VISIBILITIES ('unknown', 'hidden', 'visible'). */
  visibility: string
  /** base64 of Float64Array: x in video pixels (meaningless where not visible). */
  x: string
  /** base64 of Float64Array: y in video pixels. */
  y: string
  /** base64 of Uint8Array: index into SOURCES. */
  source: string
  /** base64 of Uint8Array: index into REVIEWS. */
  review: string
  /** base64 of Float32Array: the model's confidence 0..1, -1 where none. */
  confidence: string
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const LOOKUP = new Uint8Array(128)
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i

const CODES = new Uint8Array(64)
for (let i = 0; i < 64; i++) CODES[i] = ALPHABET.charCodeAt(i)

/**
 * Typed-array loops and TextEncoder/TextDecoder rather than btoa/atob: no binary strings, no per-character
 * string building, and the same code in Node and every browser.
 */
export function bytesToBase64(bytes: Uint8Array): string {
  const n = bytes.length
  const out = new Uint8Array(Math.ceil(n / 3) * 4)
  let o = 0
  let i = 0
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!
    out[o++] = CODES[v >> 18]!
    out[o++] = CODES[(v >> 12) & 63]!
    out[o++] = CODES[(v >> 6) & 63]!
    out[o++] = CODES[v & 63]!
  }
  if (i < n) {
    const v = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8)
    out[o++] = CODES[v >> 18]!
    out[o++] = CODES[(v >> 12) & 63]!
    out[o++] = i + 1 < n ? CODES[(v >> 6) & 63]! : 61
    out[o++] = 61
  }
  return new TextDecoder().decode(out)
}

export function base64ToBytes(text: string): Uint8Array {
  const codes = new TextEncoder().encode(text)
  let len = codes.length
  while (len > 0 && codes[len - 1] === 61) len--
  const out = new Uint8Array(Math.floor((len * 3) / 4))
  let o = 0
  let i = 0
  for (; i + 3 < len; i += 4) {
    const v =
      (LOOKUP[codes[i]!]! << 18) |
      (LOOKUP[codes[i + 1]!]! << 12) |
      (LOOKUP[codes[i + 2]!]! << 6) |
      LOOKUP[codes[i + 3]!]!
    out[o++] = v >> 16
    out[o++] = (v >> 8) & 255
    out[o++] = v & 255
  }
  if (i < len) {
    const v =
      ((LOOKUP[codes[i]!] ?? 0) << 18) |
      ((LOOKUP[codes[i + 1] ?? 65] ?? 0) << 12) |
      ((LOOKUP[codes[i + 2] ?? 65] ?? 0) << 6)
    if (o < out.length) out[o++] = v >> 16
    if (o < out.length) out[o++] = (v >> 8) & 255
  }
  return out
}

const asBytes = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength)

export function encodeColumns(c: ClipColumns): ColumnsWire {
  return {
    frameCount: c.frameCount,
    visibility: bytesToBase64(c.visibility),
    x: bytesToBase64(asBytes(c.x)),
    y: bytesToBase64(asBytes(c.y)),
    source: bytesToBase64(c.source),
    review: bytesToBase64(c.review),
    confidence: bytesToBase64(asBytes(c.confidence))
  }
}

export class ColumnsWireError extends Error {
  override name = 'ColumnsWireError'
}

export function decodeColumns(w: ColumnsWire): ClipColumns {
  const n = w.frameCount
  const c = createColumns(n)
  const fill = (target: ArrayBufferView, text: string, field: string): void => {
    const bytes = base64ToBytes(text)
    if (bytes.length !== target.byteLength) {
      throw new ColumnsWireError(
        `Column ${field} holds ${bytes.length} bytes, expected ${target.byteLength}.`
      )
    }
    asBytes(target).set(bytes)
  }
  fill(c.visibility, w.visibility, 'visibility')
  fill(c.x, w.x, 'x')
  fill(c.y, w.y, 'y')
  fill(c.source, w.source, 'source')
  fill(c.review, w.review, 'review')
  fill(c.confidence, w.confidence, 'confidence')
  return c
}
