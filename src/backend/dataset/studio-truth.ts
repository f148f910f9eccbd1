// Runs in the backend (plain Node): the ground truth of a clip of a Shuttle Studio project, for `eval` on the
// project folder. The studio writes every label of a clip into its CSV — the tracker's unreviewed guesses too —
// and keeps who made each one in .studio/clips/<id>/state.json. Where that state was saved with the CSV as it
// is on disk (same hash), the clip's ground truth is the one the Evaluate tab scores (groundTruthOf, 'people'),
// so a model is never scored against its own predictions; a CSV the studio has not seen is all ground truth.
import { readFile } from 'node:fs/promises'
import { groundTruthOf } from '../../shared/evaluation/ground-truth'
import type { LabelPoint } from '../../shared/labels/types'
import type { ClipColumns } from '../../shared/project/columns'
import { decodeColumns } from '../../shared/project/wire'
import { readClipState, sha256 } from '../project/clip-state'
import { ProjectLayout } from '../project/layout'
import { readProjectFile } from '../project/project-file'

/** Clip ids by "<match>/<clip>", or null when the root is not a studio project. */
export async function studioClipIds(root: string): Promise<Map<string, string> | null> {
  const file = await readProjectFile(new ProjectLayout(root).projectFile).catch(() => null)
  if (!file) return null
  return new Map(Object.entries(file.clips).map(([id, r]) => [`${r.match}/${r.clip}`, id]))
}

/** null when the studio holds no state saved with this CSV (then the CSV's rows are the ground truth). */
export async function studioTruth(
  root: string,
  clipId: string,
  csvPath: string
): Promise<LabelPoint[] | null> {
  const columns = await studioColumns(root, clipId, csvPath)
  return columns ? groundTruthOf(columns, 'people').points : null
}

/** The clip's labels as the studio saved them with this very CSV (sources and review states too), else null. */
export async function studioColumns(
  root: string,
  clipId: string,
  csvPath: string
): Promise<ClipColumns | null> {
  const state = await readClipState(new ProjectLayout(root).stateFile(clipId)).catch(() => null)
  if (!state?.csvSha) return null
  const text = await readFile(csvPath, 'utf8').catch(() => null)
  if (text === null || sha256(text) !== state.csvSha) return null
  return decodeColumns(state.columns)
}
