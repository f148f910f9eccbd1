// Runs in the backend (plain Node): keeps each video's probe result and frame index on disk, keyed by
// (absolute path, size, mtime), so reopening a video needs no ffprobe at all. One small binary file per video:
// "SSVIDX01", u32 JSON length, JSON, padding to 8 bytes, Float64 pts, Uint8 keyframe flags. Written atomically
// (temporary file, fsync, rename) so a crash never leaves a half file that would be trusted.
// A project's own index (.studio/index) is "portable": keyed by the video's path relative to the project and
// its size, with a sampled content hash in the header, so a project moved or copied to another machine (new
// absolute paths, often new mtimes) keeps its indexes; a file that really changed has another size or hash.
import { createHash } from 'node:crypto'
import { mkdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { writeFileAtomic } from '../fs/atomic-write'
import { FrameIndex } from './frame-index'
import type { ProbeResult } from './probe'

const MAGIC = 'SSVIDX01'
/** Bump when the meaning of the index changes, so old files are rebuilt rather than trusted. 2: the probe
 *  says whether the stream has B-frames. */
const FORMAT_VERSION = 2

export interface CacheKey {
  /** The absolute path; in a portable index, the path relative to the project, '/'-separated. */
  path: string
  size: number
  mtimeMs: number
}

/**
 * Where a video's index is kept. With `root` (a project folder), the index is portable: videos are keyed by
 * their path relative to root — a project's own .studio/index.
 */
export interface IndexLocation {
  dir: string
  root?: string
}

/** How a portable index recognises a file whose mtime changed: its sampled content hash, computed on demand. */
export interface Portable {
  fingerprint(): Promise<string>
}

interface Header {
  version: number
  key: CacheKey
  probe: ProbeResult
  count: number
  /** Portable indexes only: the sampled content hash of the video when it was indexed. */
  fingerprint?: string
}

export function cacheFileFor(dir: string, key: CacheKey, portable = false): string {
  // A portable name leaves the mtime out: a copy with a new mtime must find the same file.
  const id = portable ? `portable\0${key.path}\0${key.size}` : `${key.path}\0${key.size}\0${key.mtimeMs}`
  const h = createHash('sha256').update(id).digest('hex')
  return path.join(dir, `${h.slice(0, 32)}.vidx`)
}

/**
 * The cached probe and index, or null to rebuild. `touched` says the file was recognised by its content
 * although its mtime changed (a portable index after a copy): save it again so the next open skips the hash.
 */
export async function loadIndex(
  dir: string,
  key: CacheKey,
  portable?: Portable
): Promise<{ probe: ProbeResult; index: FrameIndex; touched: boolean } | null> {
  let buf: Buffer
  try {
    buf = await readFile(cacheFileFor(dir, key, !!portable))
  } catch {
    return null
  }
  try {
    if (buf.toString('latin1', 0, 8) !== MAGIC) return null
    const len = buf.readUInt32LE(8)
    const header = JSON.parse(buf.toString('utf8', 12, 12 + len)) as Header
    const k = header.key
    if (header.version !== FORMAT_VERSION || k.path !== key.path || k.size !== key.size) return null
    let touched = false
    if (k.mtimeMs !== key.mtimeMs) {
      if (!portable || !header.fingerprint || header.fingerprint !== (await portable.fingerprint()))
        return null
      touched = true
    }
    const ptsAt = align8(12 + len)
    const n = header.count
    if (buf.length !== ptsAt + n * 9) return null
    // Copy out: the file buffer may not be 8-byte aligned in memory.
    const pts = new Float64Array(n)
    Buffer.from(pts.buffer).set(buf.subarray(ptsAt, ptsAt + n * 8))
    const keyframes = Uint8Array.from(buf.subarray(ptsAt + n * 8))
    return { probe: header.probe, index: new FrameIndex(pts, keyframes), touched }
  } catch {
    return null // damaged or from another build: rebuild
  }
}

export async function saveIndex(
  dir: string,
  key: CacheKey,
  probe: ProbeResult,
  index: FrameIndex,
  portable?: Portable
): Promise<void> {
  await mkdir(dir, { recursive: true })
  const header: Header = { version: FORMAT_VERSION, key, probe, count: index.count }
  if (portable) header.fingerprint = await portable.fingerprint()
  const json = Buffer.from(JSON.stringify(header), 'utf8')
  const ptsAt = align8(12 + json.length)
  const out = Buffer.alloc(ptsAt + index.count * 9)
  out.write(MAGIC, 0, 'latin1')
  out.writeUInt32LE(json.length, 8)
  json.copy(out, 12)
  Buffer.from(index.pts.buffer, index.pts.byteOffset, index.pts.byteLength).copy(out, ptsAt)
  Buffer.from(index.key.buffer, index.key.byteOffset, index.key.byteLength).copy(out, ptsAt + index.count * 8)

  const final = cacheFileFor(dir, key, !!portable)
  await writeFileAtomic(final, out)
}

function align8(n: number): number {
  return (n + 7) & ~7
}
