// Runs in the backend (plain Node): the clips' CSVs as the library finds them. A CSV the studio has not seen
// as it is now (copied into <match>/csv/, or changed outside the studio) is read once: a clip never opened takes
// its counts from it (so it is listed and evaluated without being opened); a clip the studio has labels for
// must have the file merged into them (csv-merge.ts), which the caller does by opening the clip. A file the
// studio wrote itself (its hash is the one its state recorded) is only noted as seen. Each CSV is remembered by
// size and modification time in project.json, so an unchanged project reads no label file.
import { stat } from 'node:fs/promises'
import path from 'node:path'
import { readLabelCsv } from '../../shared/labels/read'
import { describeMerge, type LabelMergeReport } from '../../shared/project/label-report'
import { readTextIfExists } from '../fs/read-if-exists'
import { readClipState, sha256 } from './clip-state'
import type { ProjectLayout } from './layout'
import type { ProjectFile } from './project-file'
import type { FoundClip } from './scan'

export interface CsvFindings {
  /** Clips whose CSV must be merged into the labels the studio holds (open the clip, then close it). */
  toMerge: string[]
  /** Per clip whose counts were taken from a CSV found on disk: what it holds, said for the library. */
  counted: { clipId: string; frames: number; visible: number }[]
  /** project.json changed (counts or what was seen). */
  changed: boolean
}

/** Size and modification time: what tells a CSV changed without reading it. */
export async function csvFingerprint(file: string): Promise<string | null> {
  const s = await stat(file).catch(() => null)
  return s ? `${s.size}:${Math.round(s.mtimeMs)}` : null
}

export async function findChangedCsvs(
  layout: ProjectLayout,
  file: ProjectFile,
  clips: ReadonlyMap<string, FoundClip>,
  skip: ReadonlySet<string>
): Promise<CsvFindings> {
  const out: CsvFindings = { toMerge: [], counted: [], changed: false }
  for (const [id, f] of clips) {
    const r = file.clips[id]
    if (!r || !f.csvPath || skip.has(id)) continue
    const seen = await csvFingerprint(f.csvPath)
    if (!seen || r.csv === seen) continue
    const text = await readTextIfExists(f.csvPath).catch(() => null)
    if (text === null) continue
    const state = await readClipState(layout.stateFile(id)).catch(() => null)
    if (state) {
      // The studio's own write, or a file to merge (recorded as seen once the merge is saved).
      if (state.csvSha === sha256(text)) r.csv = seen
      else out.toMerge.push(id)
      out.changed ||= r.csv === seen
      continue
    }
    // First row of a frame wins, as when the clip is opened.
    const byFrame = new Map<number, boolean>()
    for (const q of readLabelCsv(text).points) if (!byFrame.has(q.frame)) byFrame.set(q.frame, q.visible)
    const frames = byFrame.size
    const visible = [...byFrame.values()].filter(Boolean).length
    if (r.labelled !== frames || r.visible !== visible) out.counted.push({ clipId: id, frames, visible })
    Object.assign(r, { labelled: frames, visible, reviewed: 0, csv: seen })
    out.changed = true
  }
  return out
}

/** The library's line for a CSV found on disk: which clip, which file, and what it did. */
export function foundCsvNotice(f: FoundClip, report: LabelMergeReport): string {
  return `${f.match}/${f.clip}: labels found in ${f.match}/csv/${path.basename(f.csvPath ?? '')}: ${describeMerge(report)}.`
}
