// Runs in the backend (plain Node): the frames of one clip where the model disagrees with itself, for the
// Frames view's look list — read from the clip's latest track in .studio/predictions (the copy Track keeps,
// with each frame's candidates) and measured by suggest-frames.ts, the same measure as the Train tab's
// suggestions, so the two never differ on what a disagreement is.
import { readdir, readFile } from 'node:fs/promises'
import type { Result } from '../../shared/api/contract'
import { ApiError } from '../../shared/api/errors'
import { ProjectLayout } from '../project/layout'
import { disagreementFrames, parsePredictionCsv } from './suggest-frames'
import { trackOf } from './suggest-source'

/** A clip with no track yet (or an unreadable one) has no disagreements: the look list just lacks them. */
export async function clipDisagreements(
  projectDir: string | null,
  clipId: string
): Promise<Result<'track.disagreements'>> {
  if (!projectDir)
    throw new ApiError('bad-request', 'No project is open: open or create one in the Library first.')
  const layout = new ProjectLayout(projectDir)
  const files = await readdir(layout.predictionsDir).catch(() => [] as string[])
  const file = await trackOf(layout, files, clipId, null)
  const text = file ? await readFile(file, 'utf8').catch(() => '') : ''
  return { clipId, frames: disagreementFrames(parsePredictionCsv(text)) }
}
