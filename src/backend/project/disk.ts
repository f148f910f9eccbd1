// Runs in the backend (plain Node): the few durable writes the project relies on, in one replaceable object so
// tests can make the disk fail (read-only, full) without root tricks. The writes themselves are the backend's
// one atomic write (../fs/atomic-write.ts).
import type { FileHandle } from 'node:fs/promises'
import { fsyncDir, writeFileAtomic } from '../fs/atomic-write'

/** Appends bytes to an open file and fsyncs it: when this resolves, the bytes survive a crash. */
async function appendDurable(handle: FileHandle, data: string): Promise<void> {
  await handle.appendFile(data)
  await handle.sync()
}

export const disk = { writeAtomic: writeFileAtomic, appendDurable, fsyncDir }
