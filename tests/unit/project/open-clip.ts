// Runs in Node (Vitest helper): the start the crash tests share — a new project in a temporary folder with one
// fake video of a given length copied in, and its clip open in a service, ready for edits.
import path from 'node:path'
import type { ProjectService } from '../../../src/backend/project'
import { fakeOpener, fakeVideo, makeService } from './helpers'

/** Creates `dir`/project with one copied video of `frames` frames (match 'm') and opens its clip. */
export async function newProjectWithOpenClip(
  dir: string,
  frames: number
): Promise<{ service: ProjectService; root: string; clipId: string }> {
  const root = path.join(dir, 'project')
  const { service } = makeService(fakeOpener(frames))
  await service.create({ dir: root })
  const { added } = await service.addVideos({ match: 'm', paths: [await fakeVideo(dir)], mode: 'copy' })
  const clipId = added[0]!.clipId
  await service.openClip({ clipId })
  return { service, root, clipId }
}
