// Runs in the backend (plain Node): keeps each video's probe result and frame index on disk, keyed by
// (absolute path, size, mtime), so reopening a video needs no ffprobe at all. One small binary file per video:
// "SSVIDX01", u32 JSON length, JSON, padding to 8 bytes, Float64 pts, Uint8 keyframe flags. Written atomically
// (temporary file, fsync, rename) so a crash never leaves a half file that would be trusted.
import { createHash } from 'node:crypto'
import { mkdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { writeFileAtomic } from '../fs/atomic-write'
import { FrameIndex } from './frame-index'
import type { ProbeResult } from './probe'

const MAGIC = 'SSVIDX01'
/** Bump when the meaning of the index changes, so old files are rebuilt rather than trusted. */
const FORMAT_VERSION = 1

export interface CacheKey {
  path: string
  size: number
  mtimeMs: number
}

interface Header {
  version: number
  key: CacheKey
  probe: ProbeResult
  count: number
}

export function cacheFileFor(dir: string, key: CacheKey): string {
  const h = createHash('sha256').update(`${key.path}\0${key.size}\0${key.mtimeMs}`).digest('hex')
  return path.join(dir, `${h.slice(0, 32)}.vidx`)
}

export async function loadIndex(
  dir: string,
  key: CacheKey
): Promise<{ probe: ProbeResult; index: FrameIndex } | null> {
  let buf: Buffer
  try {
    buf = await readFile(cacheFileFor(dir, key))
  } catch {
    return null
  }
  try {
    if (buf.toString('latin1', 0, 8) !== MAGIC) return null
    const len = buf.readUInt32LE(8)
    const header = JSON.parse(buf.toString('utf8', 12, 12 + len)) as Header
    const k = header.key
    if (
      header.version !== FORMAT_VERSION ||
      k.path !== key.path ||
      k.size !== key.size ||
      k.mtimeMs !== key.mtimeMs
    )
      return null
    const ptsAt = align8(12 + len)
    const n = header.count
    if (buf.length !== ptsAt + n * 9) return null
    // Copy out: the file buffer may not be 8-byte aligned in memory.
    const pts = new Float64Array(n)
    Buffer.from(pts.buffer).set(buf.subarray(ptsAt, ptsAt + n * 8))
    const keyframes = Uint8Array.from(buf.subarray(ptsAt + n * 8))
    return { probe: header.probe, index: new FrameIndex(pts, keyframes) }
  } catch {
    return null // damaged or from another build: rebuild
  }
}

export async function saveIndex(
  dir: string,
  key: CacheKey,
  probe: ProbeResult,
  index: FrameIndex
): Promise<void> {
  await mkdir(dir, { recursive: true })
  const header: Header = { version: FORMAT_VERSION, key, probe, count: index.count }
  const json = Buffer.from(JSON.stringify(header), 'utf8')
  const ptsAt = align8(12 + json.length)
  const out = Buffer.alloc(ptsAt + index.count * 9)
  out.write(MAGIC, 0, 'latin1')
  out.writeUInt32LE(json.length, 8)
  json.copy(out, 12)
  Buffer.from(index.pts.buffer, index.pts.byteOffset, index.pts.byteLength).copy(out, ptsAt)
  Buffer.from(index.key.buffer, index.key.byteOffset, index.key.byteLength).copy(out, ptsAt + index.count * 8)

  const final = cacheFileFor(dir, key)
  await writeFileAtomic(final, out)
}

function align8(n: number): number {
  return (n + 7) & ~7
}
