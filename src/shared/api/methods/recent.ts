// Runs everywhere (shared): the recent-projects methods of the API contract — the projects opened lately, so
// the Library lists them after a restart and the last one can reopen at start. Merged into ../contract.ts.
import { z } from 'zod'
import { method } from '../define'
import { FilePath } from '../../project/names'

export const RecentProject = z.object({
  /** The project folder (absolute). */
  dir: z.string(),
  /** The project's name when it was last opened. */
  name: z.string(),
  /** When it was last opened (ISO 8601). */
  openedAt: z.string(),
  /** True when the folder is not there now (moved, deleted, an unplugged disk). */
  missing: z.boolean()
})

const RecentList = z.object({ projects: z.array(RecentProject) })

export const recentMethods = {
  /** The projects opened lately, newest first (at most ten); project.open and project.create add to it. */
  'recent.list': method(z.object({}), RecentList),
  /** Takes a project off the list; its folder is not touched. Returns the list as it is now. */
  'recent.forget': method(z.object({ dir: FilePath('give the project folder') }), RecentList)
} as const
