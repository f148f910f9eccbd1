// Runs in the backend (plain Node): finds the frames of a video that repeat the previous picture. A broadcast
// converted from 25 to 30 fps shows every sixth picture twice; a label on such a frame carries no new position,
// and the analysis must know it to time the shuttle by its picture (src/shared/analysis/picture-time.ts).
// Each frame is decoded small and grey (through the engine's scaled reader, so frame N is the viewer's frame N)
// and compared with the one before.
import type { FfmpegInfo } from '../ffmpeg/locate'
import { readFramesScaled } from './scaled-reader'

/** Small enough to decode fast, large enough that a moving player or shuttle changes a few pixels clearly. */
export const REPEAT_PROBE_SIZE = { width: 160, height: 90 } as const

/**
 * How a frame differs from the one before: the 99.9th percentile of the absolute grey-level change (0-255).
 * Motion is local (players, shuttle) and re-encoding noise is spread thinly, so a high percentile separates them
 * where the mean does not: on the real 25→30 fps val broadcasts the mean change of a repeat (up to 0.12) overlaps
 * that of a still camera (down to 0.06), while this measure stays at 1.6-3.4 for repeats.
 */
export function frameChange(a: Buffer, b: Buffer): number {
  if (a.length !== b.length || a.length % 3 !== 0) throw new Error('pictures of different sizes')
  const n = a.length / 3
  const d = new Float64Array(n)
  for (let i = 0, p = 0; p < n; i += 3, p++) {
    const ga = 0.299 * a[i]! + 0.587 * a[i + 1]! + 0.114 * a[i + 2]!
    const gb = 0.299 * b[i]! + 0.587 * b[i + 1]! + 0.114 * b[i + 2]!
    d[p] = Math.abs(ga - gb)
  }
  d.sort()
  return d[Math.min(n - 1, Math.floor(n * 0.999))]!
}

/**
 * A repeat changes less than this (see frameChange) ... On the five real val broadcasts every repeat measured
 * at most 3.4; a still camera at the start of a clip went as low as 1.6, so the size alone is not enough:
 */
export const REPEAT_MAX_CHANGE = 4
/**
 * ... and a repeat also changes less than this share of its smaller neighbour: a rate conversion never repeats
 * twice in a row, so the frames on either side carry a whole picture step of change. Repeats measured at most
 * 0.64 of their neighbours, other frames under REPEAT_MAX_CHANGE at least 0.9; a still scene whose sensor noise
 * changes every frame, or a frozen picture held for many frames, is no rate-conversion repeat and is not marked.
 */
export const REPEAT_NEIGHBOUR_SHARE = 0.7

/** Frames (ascending) that repeat the previous one, from each frame's change from the one before (index 0 unused). */
export function repeatsFromChanges(changes: readonly number[]): number[] {
  const out: number[] = []
  for (let f = 1; f < changes.length; f++) {
    const c = changes[f]!
    const around = Math.min(f > 1 ? changes[f - 1]! : Infinity, changes[f + 1] ?? Infinity)
    if (c < REPEAT_MAX_CHANGE && c < REPEAT_NEIGHBOUR_SHARE * around) out.push(f)
  }
  return out
}

/**
 * The repeats only where they keep a rate conversion's beat: at least three, most of them (3 in 4) the same
 * number of frames apart, give or take one (25 -> 30 fps repeats every sixth frame; 24 -> 30 every fifth). A
 * few scattered near-still frames (a generated clip where only the small shuttle moves marked one in 180) are
 * not a conversion, and the track keeps every frame.
 */
export function onConversionBeat(repeats: readonly number[]): number[] {
  if (repeats.length < 3) return []
  const gaps = repeats.slice(1).map((f, i) => f - repeats[i]!)
  const counts = new Map<number, number>()
  for (const g of gaps) counts.set(g, (counts.get(g) ?? 0) + 1)
  const beat = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]![0]
  const onBeat = gaps.filter((g) => Math.abs(g - beat) <= 1).length
  return onBeat >= 0.75 * gaps.length ? [...repeats] : []
}

export interface RepeatScan {
  /** Frames (ascending) whose picture repeats the previous frame's. */
  repeated: number[]
  /** Each frame's change from the one before (frameChange; 0 for frame 0), for the record. */
  changes: number[]
}

export async function scanRepeatedFrames(
  ffmpeg: FfmpegInfo,
  filePath: string,
  opts: { signal?: AbortSignal; indexCacheDir?: string } = {}
): Promise<RepeatScan> {
  const changes: number[] = []
  let prev: Buffer | null = null
  for await (const f of readFramesScaled(ffmpeg, filePath, {
    ...REPEAT_PROBE_SIZE,
    signal: opts.signal,
    indexCacheDir: opts.indexCacheDir
  })) {
    changes.push(prev ? frameChange(prev, f.rgb) : 0)
    prev = f.rgb
  }
  return { repeated: onConversionBeat(repeatsFromChanges(changes)), changes }
}
