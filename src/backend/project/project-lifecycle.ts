// Runs in the backend (plain Node): the disk side of creating and opening a project: a new project's folder and
// project.json, the check that .studio can be written, and the save of edits a previous session left unsaved.
import { existsSync } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import path from 'node:path'
import type { Params } from '../../shared/api/contract'
import { ApiError } from '../../shared/api/errors'
import { disk } from './disk'
import { diskError } from './disk-errors'
import { ProjectLayout } from './layout'
import type { OpenClips } from './open-clips'
import { writeProjectFile, type ProjectFile } from './project-file'
import type { ProjectState } from './project-state'
import { clipsWithJournal, unsavedNotice } from './unsaved-edits'

/** Makes the folder a project (refused where it is one already); returns its root, to be opened. */
export async function createProjectOnDisk({ dir, name }: Params<'project.create'>): Promise<string> {
  const layout = new ProjectLayout(path.resolve(dir))
  if (existsSync(layout.projectFile)) {
    throw new ApiError('bad-request', `${layout.root} is a project already: open it instead.`)
  }
  await mkdir(layout.studio, { recursive: true }).catch((err) => {
    throw diskError(err, 'create the project in', layout.root)
  })
  const file: ProjectFile = {
    version: 1,
    name: name?.trim() || path.basename(layout.root),
    createdAt: new Date().toISOString(),
    clips: {}
  }
  await writeProjectFile(layout.projectFile, file).catch((err) => {
    throw diskError(err, 'create the project in', layout.root)
  })
  return layout.root
}

/** The journal lives in .studio: a folder the studio cannot write is refused at once, with what to do. */
export async function probeWritable(layout: ProjectLayout): Promise<void> {
  const probe = path.join(layout.studio, '.write-test')
  try {
    await disk.writeAtomic(probe, String(process.pid))
    await rm(probe, { force: true })
  } catch (err) {
    throw diskError(
      err,
      'write in',
      layout.studio,
      'The studio keeps every edit there, so it cannot open this project for editing.'
    )
  }
}

/** Brings the CSV of every clip with unsaved journal edits up to date (see unsaved-edits.ts). */
export async function saveUnsavedEdits(state: ProjectState, open: OpenClips): Promise<void> {
  const p = state.need()
  for (const id of await clipsWithJournal(p.layout, p.clips.keys())) {
    try {
      const c = await open.get(id)
      const found = { recovered: c.session.recovered, warnings: c.session.warnings }
      await open.close({ clipId: id })
      state.recoveredAtOpen.set(id, found)
    } catch (err) {
      const f = p.clips.get(id)
      p.notices.push(unsavedNotice(`${f?.match}/${f?.clip}`, (err as Error).message))
    }
  }
}
