// Runs in the backend (plain Node): turns what the file system and ffprobe/ffmpeg say about a video into an
// ApiError a person can act on (what happened + what to do), so every caller words failures the same way.
import { open, stat } from 'node:fs/promises'
import path from 'node:path'
import { ApiError } from '../../shared/api/errors'

const name = (p: string): string => `"${path.basename(p)}"`

export function fileMissing(p: string): ApiError {
  return new ApiError(
    'not-found',
    `The video ${name(p)} was not found at ${p}. It may have been moved, renamed or deleted; ` +
      'put it back or open it again from its new place.'
  )
}

export function fileUnreadable(p: string, why: string): ApiError {
  return new ApiError(
    'io',
    `The video ${name(p)} could not be read (${why}). Check that the file and its folder are readable ` +
      'and the disk is connected, then try again.'
  )
}

/** Stats the file and throws the matching ApiError when it is missing, not a file, or unreadable. */
export async function checkVideoFile(p: string): Promise<{ size: number; mtimeMs: number }> {
  try {
    const s = await stat(p)
    if (!s.isFile()) {
      throw new ApiError(
        'not-a-video',
        `${p} is a folder or a device, not a video file. Choose a video file.`
      )
    }
    return { size: s.size, mtimeMs: s.mtimeMs }
  } catch (e) {
    if (e instanceof ApiError) throw e
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') throw fileMissing(p)
    throw fileUnreadable(p, code ?? String(e))
  }
}

/** The first bytes of a file, to tell a cut-off video from a file that never was one. */
export async function fileHead(p: string): Promise<Buffer> {
  try {
    const fh = await open(p, 'r')
    try {
      const b = Buffer.alloc(16)
      const { bytesRead } = await fh.read(b, 0, 16, 0)
      return b.subarray(0, bytesRead)
    } finally {
      await fh.close()
    }
  } catch {
    return Buffer.alloc(0)
  }
}

/** An MP4/MOV starts with a box header: 4 size bytes, then a type such as ftyp, moov, mdat, free, wide. */
function looksLikeIsoMedia(head: Buffer): boolean {
  return /^(ftyp|moov|mdat|free|wide|skip|pnot)$/.test(head.toString('latin1', 4, 8))
}

/** Classifies ffprobe's complaint about a file that exists (head: its first bytes, see fileHead). */
export function probeFailed(p: string, stderr: string, head: Buffer = Buffer.alloc(0)): ApiError {
  const s = stderr.toLowerCase()
  const cut = s.includes('moov atom not found') && looksLikeIsoMedia(head)
  if (cut || s.includes('end of file') || s.includes('truncat')) {
    return new ApiError(
      'not-a-video',
      `The video ${name(p)} is incomplete or damaged (${firstLine(stderr)}); it was probably cut off while ` +
        'being copied or recorded. Copy it again from the camera or source, or re-export it.'
    )
  }
  if (s.includes('permission denied')) return fileUnreadable(p, 'permission denied')
  if (s.includes('no such file')) return fileMissing(p)
  return new ApiError(
    'not-a-video',
    `${name(p)} is not a video ffmpeg can read (${firstLine(stderr) || 'unknown format'}). ` +
      'Choose a video file (for example .mp4, .mov, .mkv), or convert this one with ffmpeg first.'
  )
}

export function noVideoStream(p: string, what: string): ApiError {
  return new ApiError(
    'not-a-video',
    `${name(p)} has no video stream (${what}). Choose a file that contains video.`
  )
}

export function timedOut(p: string, what: string, seconds: number): ApiError {
  return new ApiError(
    'io',
    `${what} of ${name(p)} took longer than ${seconds} s and was stopped. The file may be on a slow or ` +
      'disconnected drive, or damaged; copy it to a local disk and try again.'
  )
}

function firstLine(stderr: string): string {
  const line = stderr
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.length > 0)
  // ffprobe prefixes the path ("/x/y.mp4: Invalid data ...") or the demuxer ("[mov,mp4 @ 0x5]"); the path is
  // already in the message and the demuxer means nothing to a user.
  return (line ?? '')
    .replace(/^\[[^\]]*\]\s*/, '')
    .replace(/^.*?: (?=[A-Z])/, '')
    .slice(0, 200)
}
