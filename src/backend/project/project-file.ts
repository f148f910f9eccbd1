// Runs in the backend (plain Node): .studio/project.json — the project's name, the id of each clip (stable
// across match renames, keyed by <match>/<clip> on disk) and each clip's counts, so the library lists a
// thousand clips without reading a thousand label files. A file of a newer format is refused (and never
// rewritten as this format); one that cannot be read is reported as damaged (project-rebuild.ts keeps it aside
// and rebuilds it from the folder).
import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { ApiError } from '../../shared/api/errors'
import { readTextIfExists } from '../fs/read-if-exists'
import { disk } from './disk'

export interface ClipRecord {
  match: string
  clip: string
  frames: number | null
  labelled: number
  visible: number
  reviewed: number
  /** Size and modification time of the clip's CSV when the studio last read or wrote it (csv-scan.ts). */
  csv?: string
}

export interface ProjectFile {
  version: 1
  name: string
  createdAt: string
  clips: Record<string, ClipRecord>
  /** A match rename under way (match-rename.ts): recorded before its folder moves, removed once it has. */
  renaming?: { from: string; to: string }
}

/** The format this studio reads and writes. */
export const PROJECT_FORMAT = 1

export const newClipId = (): string => `c-${randomBytes(5).toString('hex')}`

const count = z.number().int().nonnegative()
const ClipRecordSchema = z.object({
  match: z.string().min(1),
  clip: z.string().min(1),
  frames: count.nullable(),
  labelled: count,
  visible: count,
  reviewed: count,
  csv: z.string().optional().catch(undefined)
})
// Name, date and counts have safe defaults (older files lack some); the clips' ids and places do not.
const ProjectFileSchema = z.object({
  version: z.number().optional(),
  name: z.string().optional().catch(undefined),
  createdAt: z.string().optional().catch(undefined),
  clips: z.record(z.string(), ClipRecordSchema).optional(),
  renaming: z
    .object({ from: z.string().min(1), to: z.string().min(1) })
    .optional()
    .catch(undefined)
})

/** project.json exists but cannot be used as it is; `why` says what is wrong with it. */
export class DamagedProjectFile extends Error {
  constructor(readonly why: string) {
    super(why)
    this.name = 'DamagedProjectFile'
  }
}

/** null when there is no file; throws ApiError for a newer format, DamagedProjectFile for an unreadable one. */
export async function readProjectFile(file: string): Promise<ProjectFile | null> {
  const text = await readTextIfExists(file)
  if (text === null) return null
  return parseProjectFile(file, text)
}

export function parseProjectFile(file: string, text: string): ProjectFile {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (err) {
    throw new DamagedProjectFile(
      text.trim() === '' ? 'it is empty' : `it is not JSON: ${(err as Error).message}`
    )
  }
  const version = (raw as { version?: unknown } | null)?.version
  if (typeof version === 'number' && version > PROJECT_FORMAT) {
    throw new ApiError(
      'bad-request',
      `${file} was written by a newer version of Shuttle Studio (project format ${version}; this version reads ` +
        `format ${PROJECT_FORMAT}). Open the project with that version, or update this one; the file was left unchanged.`
    )
  }
  const parsed = ProjectFileSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : ''
    throw new DamagedProjectFile(
      `it does not describe a project (${where}${issue?.message ?? 'unknown shape'})`
    )
  }
  const v = parsed.data
  return {
    version: 1,
    name: v.name ?? 'Project',
    createdAt: v.createdAt ?? new Date().toISOString(),
    clips: v.clips ?? {},
    ...(v.renaming ? { renaming: v.renaming } : {})
  }
}

export function writeProjectFile(file: string, p: ProjectFile): Promise<void> {
  return disk.writeAtomic(file, JSON.stringify(p, null, 1) + '\n')
}
