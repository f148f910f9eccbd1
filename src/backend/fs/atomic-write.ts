// Runs in the backend (plain Node): the one durable file write of the backend (labels, project state,
// tracker results, frame indexes). A write either lands whole or not at all: a temporary file beside the
// target, fsync, rename over it, then fsync of the folder so the rename itself survives a power cut.
import { open, rename, rm } from 'node:fs/promises'
import path from 'node:path'

export async function fsyncDir(dir: string): Promise<void> {
  // Windows cannot open a folder for fsync; its renames are durable enough (NTFS journals metadata).
  if (process.platform === 'win32') return
  const h = await open(dir, 'r')
  try {
    await h.sync()
  } finally {
    await h.close()
  }
}

export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const dir = path.dirname(file)
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`)
  try {
    const h = await open(tmp, 'w')
    try {
      await h.writeFile(data)
      await h.sync()
    } finally {
      await h.close()
    }
    await rename(tmp, file)
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined)
    throw err
  }
  await fsyncDir(dir)
}
