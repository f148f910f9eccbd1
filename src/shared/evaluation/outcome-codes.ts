// Runs everywhere (shared): the per-frame outcome of an evaluation in compact form — one small code per frame in
// typed arrays, and one character per frame on the wire — so a 200,000-frame clip is 200 kB, never 200,000
// objects, in the backend, on the wire and in the renderer's timeline lane.
import type { Outcome } from '../metrics/counts'
import { base64ToBytes, bytesToBase64 } from '../project/wire'

/**
 * Code = index here. Correct outcomes first, errors last: the timeline keeps the highest code of the frames
 * under one pixel column, so a zoomed-out lane never hides an error under correct frames.
 */
export const OUTCOME_CODES = ['TN', 'TP', 'FP2', 'FN', 'FP1'] as const satisfies readonly Outcome[]

/** A frame that is not ground truth (unknown, or a label no person made or accepted): not evaluated. */
export const NOT_EVALUATED = -1

export const outcomeCode = (o: Outcome): number => OUTCOME_CODES.indexOf(o)

export const outcomeOf = (code: number): Outcome | null => OUTCOME_CODES[code] ?? null

/** TP and TN are right; FP1, FP2 and FN are wrong; not-evaluated frames are neither. */
export const isRightCode = (code: number): boolean => code === 0 || code === 1
export const isWrongCode = (code: number): boolean => code >= 2

const DOT = 46 // '.'
const ZERO = 48 // '0'

/** '.' for a frame not evaluated, '0'..'4' for the code. */
export function encodeOutcomes(codes: Int8Array): string {
  const bytes = new Uint8Array(codes.length)
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!
    bytes[i] = c < 0 ? DOT : ZERO + c
  }
  return new TextDecoder().decode(bytes)
}

export class OutcomeWireError extends Error {
  override name = 'OutcomeWireError'
}

export function decodeOutcomes(text: string): Int8Array {
  const bytes = new TextEncoder().encode(text)
  const out = new Int8Array(bytes.length)
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!
    if (b === DOT) out[i] = NOT_EVALUATED
    else if (b >= ZERO && b < ZERO + OUTCOME_CODES.length) out[i] = b - ZERO
    else throw new OutcomeWireError(`Frame ${i} has outcome "${String.fromCharCode(b)}", not one of . 0-4.`)
  }
  return out
}

/** Distances (video pixels, NaN where there is none) as base64 of a little-endian Float32Array. */
export function encodeDistances(d: Float32Array): string {
  return bytesToBase64(new Uint8Array(d.buffer, d.byteOffset, d.byteLength))
}

export function decodeDistances(text: string, frames: number): Float32Array {
  const bytes = base64ToBytes(text)
  if (bytes.length !== frames * 4) {
    throw new OutcomeWireError(`The distances hold ${bytes.length} bytes, expected ${frames * 4}.`)
  }
  const out = new Float32Array(frames)
  new Uint8Array(out.buffer).set(bytes)
  return out
}
