// Runs in the backend (plain Node): finds a tracker's prediction CSV for a clip in a predictions folder.
// Accepted, most specific first: DIR/<match>/<clip>.csv, DIR/<clip>.csv (the tracker's own output name),
// DIR/<clip>_ball.csv. TrackNet clip names repeat across matches, so a flat DIR/<clip>.csv is refused when
// another match of the root has a clip of the same name: it could be either.
import { stat } from 'node:fs/promises'
import path from 'node:path'
import type { ClipEntry } from './layout'

export interface PredictionLookup {
  path: string | null
  /** Every file name looked at, in order (for the message when none is there). */
  tried: string[]
  /** Set when only a flat file exists and the clip name is not unique in the root. */
  ambiguous: string | null
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile()
  } catch {
    return false
  }
}

export async function findPredictionFile(
  dir: string,
  clip: Pick<ClipEntry, 'match' | 'clip'>,
  clipNameIsUnique: boolean
): Promise<PredictionLookup> {
  const nested = path.join(dir, clip.match, `${clip.clip}.csv`)
  const flat = [path.join(dir, `${clip.clip}.csv`), path.join(dir, `${clip.clip}_ball.csv`)]
  const tried = [nested, ...flat]
  if (await isFile(nested)) return { path: nested, tried, ambiguous: null }
  for (const p of flat) {
    if (!(await isFile(p))) continue
    if (!clipNameIsUnique) return { path: null, tried, ambiguous: p }
    return { path: p, tried, ambiguous: null }
  }
  return { path: null, tried, ambiguous: null }
}
