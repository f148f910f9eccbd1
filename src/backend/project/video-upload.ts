// Runs in the backend (plain Node): a video sent as bytes (dropped on the page in browser mode, where a page
// cannot learn a file's path) written into <match>/video/. Streamed to a temporary file in .studio/uploads
// with a byte limit, fsynced, then linked into place only if no video of that clip is there: an interrupted,
// oversized or clashing upload never leaves a partial video nor replaces one. The bytes must be a video: the
// first ones must open a video container (MP4/QuickTime, Matroska/WebM, AVI), checked as they arrive, and the
// finished file must be one ffprobe reads, checked before it joins the project; a refused upload leaves nothing.
import { randomBytes } from 'node:crypto'
import { constants, existsSync } from 'node:fs'
import { copyFile, link, mkdir, open, readdir, rename, rm, statfs } from 'node:fs/promises'
import path from 'node:path'
import { ApiError, type ErrorCode } from '../../shared/api/errors'
import {
  clipNameOf,
  extensionOf,
  formatBytes,
  isMpegTsHead,
  isVideoFile,
  isVideoFileName,
  VIDEO_EXTENSIONS
} from '../../shared/project/video-files'
import { segmentProblem } from '../../shared/project/names'
import { fsyncDir } from '../fs/atomic-write'
import { probeVideo } from '../video/probe'
import { diskError } from './disk-errors'
import type { ProjectLayout } from './layout'
import type { FoundClip } from './scan'

/** A refusal with the HTTP status that says it best (the browser server answers with it). */
export class UploadRefused extends ApiError {
  constructor(
    readonly status: number,
    code: ErrorCode,
    message: string
  ) {
    super(code, message)
    this.name = 'UploadRefused'
  }
}

export interface UploadTarget {
  layout: ProjectLayout
  match: string
  /** The file's name on the sender's side: only its base name and extension are used. */
  fileName: string
  /** The announced size (Content-Length); the body must be exactly this long. */
  bytes: number
  maxBytes: number
  /** The project's clips now, for the duplicate check. */
  existing: readonly FoundClip[]
  /** Reads the finished file as a video (ffprobe) and throws an ApiError saying why when it is not one. */
  probe?: (file: string) => Promise<void>
}

/** Bytes needed to recognise the container: an ISO box header, the EBML magic, or RIFF….AVI . */
const HEAD_BYTES = 12
/** A transport stream needs three packets' sync bytes: 188-byte packets (.ts), or 192 from offset 4 (.mts). */
const TS_HEAD_BYTES = 4 + 2 * 192 + 1

/** Whether a file's first bytes open a video container of the kinds VIDEO_EXTENSIONS name. */
export function startsLikeVideo(head: Uint8Array): boolean {
  const b = Buffer.from(head.buffer, head.byteOffset, head.byteLength)
  if (b.length < HEAD_BYTES) return false
  const iso = /^(ftyp|moov|mdat|free|skip|wide|pnot|uuid)$/.test(b.toString('latin1', 4, 8))
  const ebml = b.readUInt32BE(0) === 0x1a45dfa3
  const avi = b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'AVI '
  const m2ts = [4, 196, 388].every((i) => b[i] === 0x47)
  return iso || ebml || avi || isMpegTsHead(b) || m2ts
}

/** Uploads this process is receiving now (their temporary files), which a project open must leave alone. */
const receiving = new Set<string>()
const UPLOADING = '.uploading'

/**
 * Removes what uploads cut short by a crash left in .studio/uploads (never a clip: an upload joins its match
 * only whole). Called when a project opens; an upload this process is still receiving is kept.
 */
export async function clearInterruptedUploads(layout: ProjectLayout): Promise<void> {
  const names = await readdir(layout.uploadsDir).catch(() => [] as string[])
  for (const name of names) {
    const file = path.join(layout.uploadsDir, name)
    if (name.endsWith(UPLOADING) && !receiving.has(file))
      await rm(file, { force: true }).catch(() => undefined)
  }
}

/** Room the disk keeps free beyond the video, so an upload never fills it to the last byte. */
const DISK_MARGIN = 64 * 1024 * 1024

/** Writes the body as <match>/video/<clip><ext>; returns the clip name. */
export async function writeUploadedVideo(t: UploadTarget, body: AsyncIterable<Uint8Array>): Promise<string> {
  const name = t.fileName.replace(/^.*[\\/]/, '')
  if (!isVideoFileName(name)) {
    throw new UploadRefused(
      415,
      'not-a-video',
      `${name} is not a video the project can hold (${VIDEO_EXTENSIONS.join(', ')}).`
    )
  }
  if (!Number.isSafeInteger(t.bytes) || t.bytes <= 0) {
    throw new UploadRefused(400, 'bad-request', `${name} is empty.`)
  }
  if (t.bytes > t.maxBytes) {
    throw new UploadRefused(
      413,
      'bad-request',
      `${name} is too big: ${formatBytes(t.bytes)}, the limit is ${formatBytes(t.maxBytes)}.`
    )
  }
  const clip = clipNameOf(name)
  const ext = extensionOf(name)
  const nameProblem = segmentProblem(clip + ext, 'file name')
  if (nameProblem) throw new UploadRefused(400, 'bad-request', `${name.slice(0, 80)}: ${nameProblem}.`)
  // A clip that has labels but no video yet is where this video belongs: only a clip with a video clashes.
  const clash = t.existing.find((c) => c.match === t.match && c.clip === clip && c.videoKind !== 'none')
  if (clash) {
    throw new UploadRefused(
      409,
      'bad-request',
      `Duplicate name: match "${t.match}" has a clip "${clip}" already. Rename the file and drop it again.`
    )
  }
  // Received and checked in .studio/uploads (the same disk as the project): the match is touched only by a
  // video that passed every check, so a refused upload leaves nothing in it, not even an empty folder.
  const staging = t.layout.uploadsDir
  await mkdir(staging, { recursive: true }).catch((err) => {
    throw diskError(err, 'create', staging)
  })
  const free = await statfs(staging).then(
    (s) => s.bavail * s.bsize,
    () => Infinity
  )
  if (free < t.bytes + DISK_MARGIN) {
    throw new UploadRefused(
      507,
      'io',
      `${name} (${formatBytes(t.bytes)}) does not fit on the project's disk (${formatBytes(free)} free).`
    )
  }

  const dir = t.layout.videoDir(t.match)
  const target = path.join(dir, clip + ext)
  const tmp = path.join(staging, `${clip}${ext}.${randomBytes(4).toString('hex')}${UPLOADING}`)
  receiving.add(tmp)
  try {
    const fh = await open(tmp, 'wx')
    let received = 0
    let head: Buffer | null = Buffer.alloc(0)
    const notVideo = (): UploadRefused =>
      new UploadRefused(
        415,
        'not-a-video',
        `${name} is not a video: it does not start as an MP4, QuickTime, Matroska, WebM or AVI file does, ` +
          'nor as an MPEG transport stream.'
      )
    // The same rule as the folder picker's and addVideos': a .ts file must also be MPEG-TS, not TypeScript.
    const looksRight = (h: Buffer): boolean => startsLikeVideo(h) && isVideoFile(name, h)
    try {
      for await (const chunk of body) {
        received += chunk.byteLength
        if (received > t.bytes) {
          throw new UploadRefused(400, 'bad-request', `${name}: more bytes arrived than announced.`)
        }
        // Checked on the first bytes: a file that is no video is refused before gigabytes of it are written.
        if (head) {
          head = Buffer.concat([head, chunk.subarray(0, TS_HEAD_BYTES)])
          if (looksRight(head)) head = null
          else if (head.length >= TS_HEAD_BYTES) throw notVideo()
        }
        await fh.write(chunk)
      }
      if (received !== t.bytes) {
        throw new UploadRefused(
          400,
          'bad-request',
          `${name}: the upload stopped after ${formatBytes(received)} of ${formatBytes(t.bytes)}.`
        )
      }
      if (head && !looksRight(head)) throw notVideo()
      await fh.sync()
    } finally {
      await fh.close()
    }
    await probeUpload(t, tmp, name)
    await mkdir(dir, { recursive: true })
    await mkdir(path.dirname(t.layout.csvFile(t.match, clip)), { recursive: true }).catch(() => undefined)
    await placeNew(tmp, target, t.match, clip)
    await fsyncDir(dir)
  } catch (err) {
    if (err instanceof ApiError) throw err
    throw diskError(err, 'write the video into', dir)
  } finally {
    await rm(tmp, { force: true }).catch(() => undefined)
    receiving.delete(tmp)
  }
  return clip
}

/** The probe an upload gets: ffprobe reads it as the video engine will (no probe without ffprobe). */
export function probeWith(ffprobe: string | null): UploadTarget['probe'] {
  return ffprobe ? (file) => probeVideo(ffprobe, file).then(() => undefined) : undefined
}

/** Asks ffprobe whether the finished file is a video; its answer names the upload, not the temporary file. */
async function probeUpload(t: UploadTarget, tmp: string, name: string): Promise<void> {
  if (!t.probe) return
  try {
    await t.probe(tmp)
  } catch (err) {
    const why = (err instanceof Error ? err.message : String(err))
      .split(tmp)
      .join(name)
      .split(path.basename(tmp))
      .join(name)
    throw new UploadRefused(415, 'not-a-video', `${name} was not added: ${why}`)
  }
}

/** Puts the finished file in place unless something took the name meanwhile (a hard link never replaces). */
async function placeNew(tmp: string, target: string, match: string, clip: string): Promise<void> {
  const taken = (): UploadRefused =>
    new UploadRefused(409, 'bad-request', `Duplicate name: match "${match}" has a video "${clip}" already.`)
  try {
    await link(tmp, target)
    return
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw taken()
  }
  // File systems without hard links (FAT, some network shares), or a match folder on another disk.
  if (existsSync(target)) throw taken()
  try {
    await rename(tmp, target)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err
    await copyFile(tmp, target, constants.COPYFILE_EXCL).catch((e: NodeJS.ErrnoException) => {
      throw e.code === 'EEXIST' ? taken() : e
    })
    const fh = await open(target, 'r+')
    await fh.sync().finally(() => fh.close())
  }
}
