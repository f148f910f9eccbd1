// Runs in the backend (plain Node): where the open project keeps what the video engine and the tracker make for
// a video: its frame index and its tracks.
import path from 'node:path'
import type { OpenProject, ProjectIndex } from './project-types'

/**
 * Where a video's frame index belongs: the open project's .studio/index for a video of one of its clips
 * (copied or referenced) or any file inside the project folder, so the indexes travel with the project;
 * null for a loose video (the app's cache folder).
 */
export function indexFor(p: OpenProject | null, videoPath: string): ProjectIndex | null {
  if (!p) return null
  const abs = path.resolve(videoPath)
  const rel = path.relative(p.layout.root, abs)
  const inside = rel !== '' && rel.split(path.sep)[0] !== '..' && !path.isAbsolute(rel)
  const ofClip = [...p.clips.values()].some((c) => c.videoPath && path.resolve(c.videoPath) === abs)
  return inside || ofClip ? { dir: p.layout.indexDir, root: p.layout.root } : null
}

/**
 * Where the tracker keeps its track of a video of one of the open project's clips, per model (by clip id,
 * so renaming a match keeps it); null for any other video.
 */
export function predictionFileFor(
  p: OpenProject | null,
  videoPath: string,
  modelHash: string
): string | null {
  if (!p) return null
  const abs = path.resolve(videoPath)
  for (const [id, c] of p.clips) {
    if (c.videoPath && path.resolve(c.videoPath) === abs) return p.layout.predictionFile(id, modelHash)
  }
  return null
}
