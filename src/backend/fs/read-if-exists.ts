// Runs in the backend (plain Node): a file's text, or null where there is no such file — the first step of
// reading the studio's own JSON files, which may not exist yet. Any other error (permissions, a folder in the
// way) is thrown, so it is never mistaken for "no file".
import { readFile } from 'node:fs/promises'

export async function readTextIfExists(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
}
