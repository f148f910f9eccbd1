// Runs in the backend (plain Node): .studio/clips/<id>/state.json — a clip's full per-frame labels as saved
// (columns in the compact wire form: exact positions, sources, review states, confidences), the sequence number
// of the last edit they include, and the hash of the CSV written with them (to notice a CSV edited outside).
import { createHash } from 'node:crypto'
import { ApiError } from '../../shared/api/errors'
import { readTextIfExists } from '../fs/read-if-exists'
import type { ColumnsWire } from '../../shared/project/wire'
import { disk } from './disk'

export interface ClipStateFile {
  version: 1
  seq: number
  savedAt: string
  /** sha256 of the CSV text written with this state; null when no CSV was written. */
  csvSha: string | null
  columns: ColumnsWire
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex')

/**
 * null when there is no state yet; throws when it exists but cannot be read (the caller warns and rebuilds),
 * and an ApiError for a state of a newer format, which must not be rebuilt over (the caller refuses the clip).
 */
export async function readClipState(file: string): Promise<ClipStateFile | null> {
  const text = await readTextIfExists(file)
  if (text === null) return null
  const v = JSON.parse(text) as ClipStateFile
  const version = (v as { version?: unknown } | null)?.version
  if (typeof version === 'number' && version > 1) {
    throw new ApiError(
      'bad-request',
      `${file} was written by a newer version of Shuttle Studio (clip state format ${version}; this version reads ` +
        'format 1). Open the project with that version, or update this one; the clip was left unchanged.'
    )
  }
  if (v.version !== 1 || typeof v.seq !== 'number' || !v.columns) throw new Error('not a clip state file')
  return v
}

export function writeClipState(file: string, state: ClipStateFile): Promise<void> {
  return disk.writeAtomic(file, JSON.stringify(state))
}

/** Rows of a label CSV (lines after the header that are not blank), without parsing them. */
export function countCsvRows(text: string): number {
  let rows = -1
  for (const line of text.split('\n')) if (line.trim() !== '') rows++
  return Math.max(0, rows)
}
