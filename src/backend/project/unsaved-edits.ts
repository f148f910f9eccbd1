// Runs in the backend (plain Node): which clips a project holds edits for that their CSV lacks. A save writes
// the CSV and the state and then empties the journal, so a journal with lines in it means the studio stopped
// before a save (a crash, a kill, a power cut). Training and `shuttle-studio eval` read the CSVs straight from
// the folder, so the project saves such clips when it opens instead of waiting for each clip to be opened.
import { stat } from 'node:fs/promises'
import type { ProjectLayout } from './layout'

/** What a clip's recovery found, shown when the clip is next opened (where it was always shown). */
export interface RecoveredAtOpen {
  recovered: number
  warnings: string[]
}

/** The ids among `clipIds` whose journal is not empty. */
export async function clipsWithJournal(layout: ProjectLayout, clipIds: Iterable<string>): Promise<string[]> {
  const out: string[] = []
  for (const id of clipIds) {
    const size = await stat(layout.journalFile(id)).then(
      (s) => s.size,
      () => 0
    )
    if (size > 0) out.push(id)
  }
  return out
}

/** The notice for a clip whose unsaved edits could not be saved at open (its CSV is behind its labels). */
export function unsavedNotice(where: string, why: string): string {
  return (
    `${where} has edits in its journal that are not in its CSV yet, and saving them failed (${why}). ` +
    'They are kept and saved when the clip is opened; until then training and evaluation read the older CSV.'
  )
}
