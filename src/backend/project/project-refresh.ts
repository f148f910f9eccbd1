// Runs in the backend (plain Node): rereads the open project's folder into its library: new clips get ids, label
// CSVs put into the project are counted or merged, and open clips show their labels as they are now.
import { emptyMergeReport, mergeChanged } from '../../shared/project/label-report'
import { csvFingerprint, findChangedCsvs, foundCsvNotice } from './csv-scan'
import { buildLibrary, reconcile, type Library } from './library'
import type { OpenClips } from './open-clips'
import type { ProjectState } from './project-state'
import { scanProject } from './scan'

/** Rescans the folder, gives new clips ids (and counts from their CSV), and returns the library. */
export async function refreshLibrary(state: ProjectState, open: OpenClips): Promise<Library> {
  const p = state.need()
  const { clips: found, problems } = await scanProject(p.layout)
  const before = new Set(Object.keys(p.file.clips))
  const { clips, changed } = reconcile(p.file, found)
  p.clips = clips
  // CSVs put into the project: counted, or merged into the labels the studio holds, and said in the library.
  const csvs = await findChangedCsvs(p.layout, p.file, clips, new Set(open.ids()))
  for (const c of csvs.counted) {
    const f = clips.get(c.clipId)
    if (f && before.has(c.clipId))
      p.foundCsv.push(foundCsvNotice(f, { ...emptyMergeReport('file'), set: c.frames }))
  }
  for (const id of csvs.toMerge) await mergeFoundCsv(state, open, id)
  // An open clip's record is only updated when its CSV is saved (seconds after an edit); the library must
  // show the labels as they are now, or a reviewer who just finished sees "n-1 / n reviewed".
  for (const [id, opening] of open.entries()) {
    const c = await opening.catch(() => null)
    const r = p.file.clips[id]
    if (c && r) Object.assign(r, c.session.counts())
  }
  p.problems = [...p.notices, ...p.foundCsv, ...problems]
  if (changed || csvs.changed || csvs.toMerge.length) await state.writeFile().catch(() => undefined)
  return buildLibrary(p.layout.root, p.file, clips, p.problems)
}

/** Opens a clip whose CSV changed on disk (its load merges the file in), saves what that did, and says so. */
async function mergeFoundCsv(state: ProjectState, open: OpenClips, clipId: string): Promise<void> {
  const p = state.need()
  const f = state.found(clipId)
  try {
    const { session } = await open.get(clipId)
    const merged = session.merged
    await open.close({ clipId })
    // The clip's next open says it too, as if the merge had happened then.
    state.recoveredAtOpen.set(clipId, { recovered: session.recovered, warnings: session.warnings })
    const r = p.file.clips[clipId]
    if (r && f.csvPath) r.csv = (await csvFingerprint(f.csvPath)) ?? undefined
    if (merged && mergeChanged(merged) + merged.conflicts > 0) p.foundCsv.push(foundCsvNotice(f, merged))
  } catch (err) {
    const line = `${f.match}/${f.clip}: labels found in its CSV could not be merged: ${(err as Error).message}`
    if (!p.notices.includes(line)) p.notices.push(line)
  }
}
