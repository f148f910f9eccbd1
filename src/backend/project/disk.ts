// Runs in the backend (plain Node): the few durable writes the project relies on, in one replaceable object so
// tests can make the disk fail (read-only, full) without root tricks. A write either lands whole or not at all:
// temporary file in the same folder, fsync, rename over the old one, fsync the folder (so the rename itself
// survives a power cut).
import { open, rename, rm } from 'node:fs/promises'
import path from 'node:path'

async function fsyncDir(dir: string): Promise<void> {
  // Windows cannot open a folder for fsync; its renames are durable enough (NTFS journals metadata).
  if (process.platform === 'win32') return
  const h = await open(dir, 'r')
  try {
    await h.sync()
  } finally {
    await h.close()
  }
}

async function writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
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

/** Appends bytes to an open file and fsyncs it: when this resolves, the bytes survive a crash. */
async function appendDurable(handle: import('node:fs/promises').FileHandle, data: string): Promise<void> {
  await handle.appendFile(data)
  await handle.sync()
}

export const disk = { writeAtomic, appendDurable, fsyncDir }
