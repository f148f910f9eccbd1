// Runs in the backend (plain Node): folder listing for browser mode's path picker, where no native
// dialog exists. Lists names only; never reads file contents.
import { readdir } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { ApiError } from '../../shared/api/errors'
import type { Params, Result } from '../../shared/api/contract'

const VIDEO_EXT = new Set(['.mp4', '.mov', '.mkv', '.avi', '.webm', '.m4v', '.mts', '.ts'])

export async function listFolder({ dir }: Params<'fs.list'>, defaultDir: string): Promise<Result<'fs.list'>> {
  const target = path.resolve(dir && dir.length > 0 ? dir : defaultDir || os.homedir())
  let dirents
  try {
    dirents = await readdir(target, { withFileTypes: true })
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new ApiError('not-found', `The folder ${target} does not exist.`)
    if (code === 'ENOTDIR') throw new ApiError('bad-request', `${target} is a file, not a folder.`)
    throw new ApiError('io', `Cannot list ${target}: ${(err as Error).message}`)
  }
  const entries = dirents
    .filter((d) => !d.name.startsWith('.'))
    .map((d) => {
      const kind: 'dir' | 'video' | 'file' = d.isDirectory()
        ? 'dir'
        : VIDEO_EXT.has(path.extname(d.name).toLowerCase())
          ? 'video'
          : 'file'
      return { name: d.name, path: path.join(target, d.name), kind }
    })
    .sort((a, b) =>
      (a.kind === 'dir') === (b.kind === 'dir') ? a.name.localeCompare(b.name) : a.kind === 'dir' ? -1 : 1
    )
  const parent = path.dirname(target)
  return { dir: target, parent: parent === target ? null : parent, entries }
}
