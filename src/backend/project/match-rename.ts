// Runs in the backend (plain Node): renaming a match so that a crash at any moment loses no clip's id. A clip's
// id (and so its state, journal and tracks in .studio) is found again by <match>/<clip> in project.json, and a
// folder rename and a file write cannot happen as one step: the rename is first recorded in project.json, then
// the folder moves, then the records follow. A project opened with a rename still recorded finishes it in
// project.json when the folder did move, and forgets it when it did not.
import { existsSync } from 'node:fs'
import { renameMatchFolder } from './clip-files'
import type { ProjectLayout } from './layout'
import type { ProjectFile } from './project-file'

/** Renames <from> to <to>; `write` writes project.json (the file's state as it is when called). */
export async function renameMatchDurably(
  layout: ProjectLayout,
  file: ProjectFile,
  from: string,
  to: string,
  write: () => Promise<void>
): Promise<void> {
  file.renaming = { from, to }
  await write()
  try {
    await renameMatchFolder(layout, from, to)
  } catch (err) {
    delete file.renaming
    await write().catch(() => undefined)
    throw err
  }
  moveRecords(file, from, to)
  await write()
}

/** Settles a rename a crash interrupted; true when project.json changed (write it back). */
export function settleInterruptedRename(layout: ProjectLayout, file: ProjectFile): boolean {
  const r = file.renaming
  if (!r) return false
  try {
    if (!existsSync(layout.matchDir(r.from)) && existsSync(layout.matchDir(r.to))) {
      moveRecords(file, r.from, r.to)
    } else delete file.renaming
  } catch {
    delete file.renaming // a name the layout refuses was never renamed to
  }
  return true
}

function moveRecords(file: ProjectFile, from: string, to: string): void {
  for (const r of Object.values(file.clips)) if (r.match === from) r.match = to
  delete file.renaming
}
