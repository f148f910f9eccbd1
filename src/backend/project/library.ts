// Runs in the backend (plain Node): the project's library — its matches and clips as found on disk, each with a
// stable id (kept in project.json across renames) and its counts. Clips found for the first time get an id.
import type { Result } from '../../shared/api/contract'
import { newClipId, type ClipRecord, type ProjectFile } from './project-file'
import type { FoundClip } from './scan'

export type Library = Result<'project.library'>
export type ClipSummaryValue = Library['matches'][number]['clips'][number]

export interface Reconciled {
  /** clipId → what is on disk. */
  clips: Map<string, FoundClip>
  /** True when project.json gained or lost clips (write it back). */
  changed: boolean
}

/** Gives every found clip its id (the one it had, or a new one) and forgets ids whose files are gone. */
export function reconcile(file: ProjectFile, found: readonly FoundClip[]): Reconciled {
  const byKey = new Map(Object.entries(file.clips).map(([id, r]) => [`${r.match}/${r.clip}`, id]))
  const clips = new Map<string, FoundClip>()
  const next: Record<string, ClipRecord> = {}
  let changed = false
  for (const f of found) {
    let id = byKey.get(`${f.match}/${f.clip}`)
    if (!id) {
      id = newClipId()
      changed = true
    }
    clips.set(id, f)
    next[id] = file.clips[id] ?? {
      match: f.match,
      clip: f.clip,
      frames: null,
      labelled: 0,
      visible: 0,
      reviewed: 0
    }
  }
  if (Object.keys(file.clips).length !== Object.keys(next).length) changed = true
  file.clips = next
  return { clips, changed }
}

export function clipSummary(id: string, f: FoundClip, r: ClipRecord | undefined): ClipSummaryValue {
  return {
    clipId: id,
    match: f.match,
    clip: f.clip,
    videoKind: f.videoKind,
    videoPath: f.videoPath,
    videoMissing: f.videoMissing,
    frames: r?.frames ?? null,
    labelled: r?.labelled ?? 0,
    visible: r?.visible ?? 0,
    reviewed: r?.reviewed ?? 0
  }
}

export function buildLibrary(
  dir: string,
  file: ProjectFile,
  clips: Map<string, FoundClip>,
  problems: string[]
): Library {
  const matches = new Map<string, ClipSummaryValue[]>()
  for (const [id, f] of clips) {
    const list = matches.get(f.match) ?? []
    list.push(clipSummary(id, f, file.clips[id]))
    matches.set(f.match, list)
  }
  return {
    dir,
    name: file.name,
    matches: [...matches.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, list]) => ({ name, clips: list.sort((a, b) => (a.clip < b.clip ? -1 : 1)) })),
    problems
  }
}
