// Runs in the backend (plain Node): opens .studio/project.json, rebuilding it when it cannot be read. The
// labels themselves are in the match folders and .studio/clips, so a damaged project.json loses nothing that a
// scan cannot find again: the file is kept aside (renamed project.json.damaged-<time>) for a person to look at,
// a new one is written from the scan, and a clip keeps its id (so its review states, unsaved edits and tracks)
// where its saved state names the exact CSV on disk. A project.json of a newer format is refused unchanged.
import { readdir, readFile, rename } from 'node:fs/promises'
import path from 'node:path'
import { readLabelCsv } from '../../shared/labels/read'
import { readClipState, sha256 } from './clip-state'
import type { ProjectLayout } from './layout'
import {
  DamagedProjectFile,
  readProjectFile,
  writeProjectFile,
  type ClipRecord,
  type ProjectFile
} from './project-file'
import { scanProject } from './scan'
import { damagedCopyPath } from '../fs/damaged-copy'

export interface OpenedProjectFile {
  file: ProjectFile
  /** What had to be done to open it, for the library's problems; null when nothing. */
  notice: string | null
}

/** null when the folder has no project.json; throws ApiError for a newer format or a file it cannot read. */
export async function openProjectFile(layout: ProjectLayout): Promise<OpenedProjectFile | null> {
  try {
    const file = await readProjectFile(layout.projectFile)
    return file && { file, notice: null }
  } catch (err) {
    if (!(err instanceof DamagedProjectFile)) throw err
    const aside = damagedCopyPath(layout.projectFile)
    await rename(layout.projectFile, aside)
    const { file, kept, found } = await rebuild(layout)
    await writeProjectFile(layout.projectFile, file)
    const notice =
      `${layout.projectFile} could not be read (${err.why}). It was kept as ${path.basename(aside)} and the ` +
      `project was rebuilt from its folders: ${found} clip(s) found, ${kept} with their review states and ` +
      'unsaved edits; the others start from their CSV.'
    return { file, notice }
  }
}

/** A project file from the folder: the clips a scan finds, with the ids their saved states prove. */
async function rebuild(layout: ProjectLayout): Promise<{ file: ProjectFile; kept: number; found: number }> {
  const { clips } = await scanProject(layout)
  const byCsv = new Map<string, { match: string; clip: string; text: string }>()
  for (const c of clips) {
    if (!c.csvPath) continue
    const text = await readFile(c.csvPath, 'utf8').catch(() => null)
    if (text !== null) byCsv.set(sha256(text), { match: c.match, clip: c.clip, text })
  }
  const records: Record<string, ClipRecord> = {}
  const ids = await readdir(path.join(layout.studio, 'clips')).catch(() => [] as string[])
  for (const id of ids.sort()) {
    const state = await readClipState(layout.stateFile(id)).catch(() => null)
    const match = state?.csvSha ? byCsv.get(state.csvSha) : undefined
    if (!match || Object.values(records).some((r) => r.match === match.match && r.clip === match.clip))
      continue
    const points = readLabelCsv(match.text).points
    records[id] = {
      match: match.match,
      clip: match.clip,
      frames: null,
      labelled: new Set(points.map((p) => p.frame)).size,
      visible: points.filter((p) => p.visible).length,
      reviewed: 0
    }
  }
  const file: ProjectFile = {
    version: 1,
    name: path.basename(layout.root),
    createdAt: new Date().toISOString(),
    clips: records
  }
  return { file, kept: Object.keys(records).length, found: clips.length }
}
