// Runs in the backend (plain Node): .studio/project.json — the project's name, the id of each clip (stable
// across match renames, keyed by <match>/<clip> on disk) and each clip's counts, so the library lists a
// thousand clips without reading a thousand label files.
import { randomBytes } from 'node:crypto'
import { readTextIfExists } from '../fs/read-if-exists'
import { disk } from './disk'

export interface ClipRecord {
  match: string
  clip: string
  frames: number | null
  labelled: number
  visible: number
  reviewed: number
}

export interface ProjectFile {
  version: 1
  name: string
  createdAt: string
  clips: Record<string, ClipRecord>
}

export const newClipId = (): string => `c-${randomBytes(5).toString('hex')}`

export async function readProjectFile(file: string): Promise<ProjectFile | null> {
  const text = await readTextIfExists(file)
  if (text === null) return null
  const v = JSON.parse(text) as Partial<ProjectFile>
  return {
    version: 1,
    name: typeof v.name === 'string' ? v.name : 'Project',
    createdAt: typeof v.createdAt === 'string' ? v.createdAt : new Date().toISOString(),
    clips: v.clips && typeof v.clips === 'object' ? v.clips : {}
  }
}

export function writeProjectFile(file: string, p: ProjectFile): Promise<void> {
  return disk.writeAtomic(file, JSON.stringify(p, null, 1) + '\n')
}
