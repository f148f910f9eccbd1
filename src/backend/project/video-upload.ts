// Runs in the backend (plain Node): a video sent as bytes (dropped on the page in browser mode, where a page
// cannot learn a file's path) written into <match>/video/. Streamed to a temporary file beside the target
// with a byte limit, fsynced, then linked into place only if no video of that clip is there: an interrupted,
// oversized or clashing upload never leaves a partial video nor replaces one.
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { link, mkdir, open, rename, rm, statfs } from 'node:fs/promises'
import path from 'node:path'
import { ApiError, type ErrorCode } from '../../shared/api/errors'
import {
  clipNameOf,
  extensionOf,
  formatBytes,
  isVideoFileName,
  VIDEO_EXTENSIONS
} from '../../shared/project/video-files'
import { fsyncDir } from '../fs/atomic-write'
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
  // A clip that has labels but no video yet is where this video belongs: only a clip with a video clashes.
  const clash = t.existing.find((c) => c.match === t.match && c.clip === clip && c.videoKind !== 'none')
  if (clash) {
    throw new UploadRefused(
      409,
      'bad-request',
      `Duplicate name: match "${t.match}" has a clip "${clip}" already. Rename the file and drop it again.`
    )
  }
  const dir = t.layout.videoDir(t.match)
  await mkdir(dir, { recursive: true }).catch((err) => {
    throw diskError(err, 'create', dir)
  })
  await mkdir(path.dirname(t.layout.csvFile(t.match, clip)), { recursive: true }).catch(() => undefined)
  const free = await statfs(dir).then(
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

  const target = path.join(dir, clip + ext)
  const tmp = path.join(dir, `.${clip}${ext}.${randomBytes(4).toString('hex')}.uploading`)
  try {
    const fh = await open(tmp, 'wx')
    let received = 0
    try {
      for await (const chunk of body) {
        received += chunk.byteLength
        if (received > t.bytes) {
          throw new UploadRefused(400, 'bad-request', `${name}: more bytes arrived than announced.`)
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
      await fh.sync()
    } finally {
      await fh.close()
    }
    await placeNew(tmp, target, t.match, clip)
    await fsyncDir(dir)
  } catch (err) {
    if (err instanceof ApiError) throw err
    throw diskError(err, 'write the video into', dir)
  } finally {
    await rm(tmp, { force: true }).catch(() => undefined)
  }
  return clip
}

/** Puts the finished file in place unless something took the name meanwhile (a hard link never replaces). */
async function placeNew(tmp: string, target: string, match: string, clip: string): Promise<void> {
  const taken = (): UploadRefused =>
    new UploadRefused(409, 'bad-request', `Duplicate name: match "${match}" has a video "${clip}" already.`)
  try {
    await link(tmp, target)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EEXIST') throw taken()
    // File systems without hard links (FAT, some network shares): check, then rename.
    if (existsSync(target)) throw taken()
    await rename(tmp, target)
  }
}
