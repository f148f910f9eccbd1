// Runs in the backend (plain Node): starts a dataset export of the open project: a copy of every labelled clip's
// labels (as they are now), the train/val split by match, and the job that writes the frames.
import { randomBytes } from 'node:crypto'
import type { Params, Result } from '../../shared/api/contract'
import { ApiError } from '../../shared/api/errors'
import { cloneColumns } from '../../shared/project/columns'
import { ensureEmptyDir, splitMatches, type DatasetExports, type ExportClip } from './dataset-export'
import { refuseStudioState } from './layout'
import type { OpenClips } from './open-clips'
import type { ProjectState } from './project-state'

export async function startDatasetExport(
  state: ProjectState,
  open: OpenClips,
  exports: DatasetExports,
  findFfmpeg: () => string | null,
  p: Params<'dataset.export'>
): Promise<Result<'dataset.export'>> {
  const project = state.need()
  refuseStudioState(project.layout, p.dir)
  const ffmpegPath = findFfmpeg()
  if (!ffmpegPath) throw new ApiError('no-ffmpeg', 'Exporting frames needs ffmpeg, which was not found.')
  await ensureEmptyDir(p.dir)
  const clips: ExportClip[] = []
  for (const [id, found] of project.clips) {
    if (!found.videoPath || found.videoMissing) continue
    const wasOpen = open.has(id)
    const c = await open.get(id)
    await c.session.flush().catch(() => undefined)
    const counts = c.session.counts()
    // A copy: the export must not change under later edits, and clips opened only for it are closed again.
    const columns = cloneColumns(c.session.columns)
    if (!wasOpen) await open.close({ clipId: id }).catch(() => undefined)
    if (counts.labelled === 0) continue
    if (p.reviewedOnly && counts.reviewed < counts.labelled) continue
    clips.push({ match: found.match, clip: found.clip, videoPath: found.videoPath, columns })
  }
  const matches = [...new Set(clips.map((c) => c.match))].sort()
  const split = splitMatches(matches, p.valMatches, p.valFraction ?? 0.2)
  const jobId = `export-${randomBytes(4).toString('hex')}`
  exports.start(jobId, clips, split, {
    dir: p.dir,
    ffmpegPath,
    unlabelled: p.unlabelled ?? 'omit',
    jpegQuality: p.jpegQuality ?? 2
  })
  return { jobId, train: split.train, val: split.val }
}
