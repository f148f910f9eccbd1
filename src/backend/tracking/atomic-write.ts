// Runs in the backend (plain Node): writes a file so that it is either the old one or the whole new one, even
// if the process dies or the machine loses power half way: a temporary file beside it, fsync, rename over the
// target, then fsync of the folder so the rename itself is durable.
import { open, rename, rm } from 'node:fs/promises'
import path from 'node:path'

export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`
  )
  try {
    const fh = await open(tmp, 'w')
    try {
      await fh.writeFile(data)
      await fh.sync()
    } finally {
      await fh.close()
    }
    await rename(tmp, file)
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined)
    throw e
  }
  try {
    const dir = await open(path.dirname(file), 'r')
    try {
      await dir.sync()
    } finally {
      await dir.close()
    }
  } catch {
    // Some platforms (Windows) cannot open or fsync a folder; the rename is still atomic there.
  }
}
