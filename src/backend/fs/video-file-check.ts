// Runs in the backend (plain Node): the shared "is this a video" rule (src/shared/project/video-files.ts) applied
// to a file on disk. Only a file whose name cannot tell (`.ts`) is opened, and only its first few hundred bytes
// are read, so a folder listing stays cheap however large its videos are.
import { open } from 'node:fs/promises'
import {
  isVideoFile,
  isVideoFileName,
  needsVideoSniff,
  VIDEO_SNIFF_BYTES
} from '../../shared/project/video-files'

/** The first `bytes` bytes of a file (fewer when it is shorter); empty when it cannot be read. */
export async function readHead(file: string, bytes: number): Promise<Uint8Array> {
  let h
  try {
    h = await open(file, 'r')
  } catch {
    return new Uint8Array(0)
  }
  try {
    const buf = Buffer.alloc(bytes)
    const { bytesRead } = await h.read(buf, 0, bytes, 0)
    return buf.subarray(0, bytesRead)
  } catch {
    return new Uint8Array(0)
  } finally {
    await h.close()
  }
}

/** Whether the file at `file` is a video the project can hold, by the one rule the picker and the project share. */
export async function isVideoOnDisk(file: string): Promise<boolean> {
  if (!isVideoFileName(file)) return false
  if (!needsVideoSniff(file)) return true
  return isVideoFile(file, await readHead(file, VIDEO_SNIFF_BYTES))
}
