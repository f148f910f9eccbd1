// Runs in the backend (plain Node): folder listing for browser mode's path picker, where no native
// dialog exists. Lists names; opens only a `.ts` file, reading its first few hundred bytes to tell an MPEG
// transport stream from TypeScript (the rule the project applies when a video joins it).
import { readdir, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { ApiError } from '../../shared/api/errors'
import type { Params, Result } from '../../shared/api/contract'
import { isVideoFileName } from '../../shared/project/video-files'
import { isVideoOnDisk } from './video-file-check'

type Entry = Result<'fs.list'>['entries'][number]

/**
 * Where the picker opens when no folder is asked for: the first of `candidates` that is a folder now (the open
 * project, then the last one opened), else the home folder — never the server's working folder.
 */
export async function pickerStartDir(candidates: readonly (string | null | undefined)[]): Promise<string> {
  for (const dir of candidates) {
    if (!dir) continue
    const isDir = await stat(dir).then(
      (s) => s.isDirectory(),
      () => false
    )
    if (isDir) return path.resolve(dir)
  }
  return os.homedir()
}

export async function listFolder(
  { dir }: Params<'fs.list'>,
  startDir: () => Promise<string>
): Promise<Result<'fs.list'>> {
  const target = path.resolve(dir && dir.length > 0 ? dir : await startDir())
  let dirents
  try {
    dirents = await readdir(target, { withFileTypes: true })
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new ApiError('not-found', `The folder ${target} does not exist.`)
    if (code === 'ENOTDIR') throw new ApiError('bad-request', `${target} is a file, not a folder.`)
    throw new ApiError('io', `Cannot list ${target}: ${(err as Error).message}`)
  }
  // One file at a time: a folder of thousands of .ts segments must not open thousands of files at once.
  const entries: Entry[] = []
  for (const d of dirents) {
    if (d.name.startsWith('.')) continue
    const file = path.join(target, d.name)
    const video = !d.isDirectory() && isVideoFileName(d.name) && (await isVideoOnDisk(file))
    entries.push({ name: d.name, path: file, kind: d.isDirectory() ? 'dir' : video ? 'video' : 'file' })
  }
  entries.sort((a, b) =>
    (a.kind === 'dir') === (b.kind === 'dir') ? a.name.localeCompare(b.name) : a.kind === 'dir' ? -1 : 1
  )
  return { dir: target, parent: path.dirname(target) === target ? null : path.dirname(target), entries }
}
