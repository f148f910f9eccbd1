// Runs in the backend (plain Node): where each piece of a project lives on disk.
//   <project>/<match>/video/<clip>.mp4        (or <clip>.video.json, a reference to a video elsewhere)
//   <project>/<match>/csv/<clip>_ball.csv     Frame,Visibility,X,Y — the labels, TrackNet's format
//   <project>/.studio/project.json            name, clip ids, per-clip counts
//   <project>/.studio/clips/<id>/state.json   per-frame source and review state (and the labels, exact)
//   <project>/.studio/clips/<id>/journal.jsonl the edit journal
//   <project>/.studio/predictions/<clip id>.<model-hash>.csv  the tracker's track of a clip, per model
//   <project>/.studio/index/                  the video engine's frame indexes
//   <project>/.studio/trash/                  removed clips, never deleted
//   <project>/.studio/uploads/                videos being uploaded, until they are checked
import path from 'node:path'
import { ApiError } from '../../shared/api/errors'

export { VIDEO_EXTENSIONS } from '../../shared/project/video-files'

export const STUDIO_DIR = '.studio'
export const REFERENCE_SUFFIX = '.video.json'
export const LABEL_SUFFIX = '_ball.csv'

export class ProjectLayout {
  constructor(readonly root: string) {}

  get studio(): string {
    return path.join(this.root, STUDIO_DIR)
  }
  get projectFile(): string {
    return path.join(this.studio, 'project.json')
  }
  get indexDir(): string {
    return path.join(this.studio, 'index')
  }
  get predictionsDir(): string {
    return path.join(this.studio, 'predictions')
  }
  get trashDir(): string {
    return path.join(this.studio, 'trash')
  }
  /** Whether `file` is in .studio, the studio's own state (journals, project.json), which only it writes. */
  isStudioState(file: string): boolean {
    const rel = path.relative(this.studio, path.resolve(file))
    return rel === '' || (rel.split(path.sep)[0] !== '..' && !path.isAbsolute(rel))
  }
  /** Uploads being received: checked here, and only then moved into a match. */
  get uploadsDir(): string {
    return path.join(this.studio, 'uploads')
  }
  matchDir(match: string): string {
    return path.join(this.root, inside(match, 'match name'))
  }
  videoDir(match: string): string {
    return path.join(this.matchDir(match), 'video')
  }
  csvFile(match: string, clip: string): string {
    return path.join(this.matchDir(match), 'csv', inside(clip, 'clip name') + LABEL_SUFFIX)
  }
  clipDir(clipId: string): string {
    return path.join(this.studio, 'clips', clipId)
  }
  predictionFile(clipId: string, modelHash: string): string {
    return path.join(this.predictionsDir, `${clipId}.${modelHash.slice(0, 16)}.csv`)
  }
  stateFile(clipId: string): string {
    return path.join(this.clipDir(clipId), 'state.json')
  }
  journalFile(clipId: string): string {
    return path.join(this.clipDir(clipId), 'journal.jsonl')
  }
}

/**
 * A match or clip name as one name inside the project, or a refusal: whatever let it through (the contract's
 * rules in shared/project/names.ts, a scan of the folder), a path built here never climbs out of the project
 * ("..", a separator of this system) nor lands in the studio's own state (".studio", any name with a dot first).
 */
function inside(name: string, what: string): string {
  if (name === '' || name.startsWith('.') || name.includes('\0') || path.basename(name) !== name) {
    throw new ApiError(
      'bad-request',
      `"${name}" is not a ${what}: it must be one name, not starting with a dot.`
    )
  }
  return name
}

/** Refuses to write `file` where it would overwrite the studio's own state (a journal, project.json). */
export function refuseStudioState(layout: ProjectLayout, file: string): void {
  if (layout.isStudioState(file)) {
    throw new ApiError(
      'bad-request',
      `${file} is in the project's .studio folder, which holds the studio's own state: write it elsewhere.`
    )
  }
}
