// Runs in the backend (plain Node): the one open project of the project service, what opening it recovered,
// and the queue that writes its project.json one write at a time.
import { ApiError } from '../../shared/api/errors'
import { diskError } from './disk-errors'
import { writeProjectFile } from './project-file'
import type { FoundClip } from './scan'
import type { RecoveredAtOpen } from './unsaved-edits'
import type { OpenProject } from './project-types'

export class ProjectState {
  project: OpenProject | null = null
  private fileWrites: Promise<unknown> = Promise.resolve()
  /** Clips saved from their journal when the project opened: what that found, for the clip's next open. */
  readonly recoveredAtOpen = new Map<string, RecoveredAtOpen>()

  need(): OpenProject {
    if (!this.project) throw new ApiError('bad-request', 'No project is open: open or create one first.')
    return this.project
  }

  found(clipId: string): FoundClip {
    const f = this.need().clips.get(clipId)
    if (!f)
      throw new ApiError(
        'not-found',
        `There is no clip ${clipId} in this project (removed, or the library changed).`
      )
    return f
  }

  writeFile(): Promise<void> {
    const p = this.need()
    const run = this.fileWrites.then(() => writeProjectFile(p.layout.projectFile, p.file))
    this.fileWrites = run.catch(() => undefined)
    return run.catch((err) => {
      throw diskError(err, 'write', p.layout.projectFile)
    })
  }

  /** Settles once every project.json write queued so far has finished (or failed). */
  async writesDone(): Promise<void> {
    await this.fileWrites
  }
}
