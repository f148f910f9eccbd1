// Runs everywhere (shared): which files a project takes as clip videos and the clip name each gets, so the
// renderer can turn a dropped file away with a clear reason before sending a byte, and the backend applies
// exactly the same rules when the bytes arrive.

/** File extensions a project holds as videos (lower case, with the dot). */
export const VIDEO_EXTENSIONS: readonly string[] = ['.mp4', '.mov', '.avi', '.mkv', '.m4v', '.webm']

/** Largest video browser mode accepts as an upload (a 1080p60 match of about two hours at high bitrate). */
export const MAX_VIDEO_UPLOAD_BYTES = 16 * 1024 ** 3

/** The extension of a file name, lower case with its dot ('' when there is none). */
export function extensionOf(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, '')
  const dot = base.lastIndexOf('.')
  return dot > 0 ? base.slice(dot).toLowerCase() : ''
}

export function isVideoFileName(fileName: string): boolean {
  return VIDEO_EXTENSIONS.includes(extensionOf(fileName))
}

/**
 * The clip a video file becomes: its base name without extension, with the characters a folder or file name
 * cannot hold replaced and no leading dots (a clip name is also the stem of its CSV file).
 */
export function clipNameOf(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, '')
  const ext = extensionOf(base)
  const stem = ext ? base.slice(0, -ext.length) : base
  const safe = Array.from(stem, (c) => (c < ' ' || '/\\:*?"<>|'.includes(c) ? '_' : c)).join('')
  return safe.replace(/^\.+/, '') || 'clip'
}

export interface DroppedFile {
  name: string
  size: number
}

export type DropVerdict =
  | { file: DroppedFile; clip: string; ok: true }
  | { file: DroppedFile; clip: string; ok: false; reason: string }

/**
 * Sorts dropped files into those to add and those turned away, each with a reason a person can act on: not a
 * video, empty, larger than `maxBytes` (null: no limit), or a clip name the match has already (or that an
 * earlier file of the same drop takes).
 */
export function checkDroppedFiles(
  files: readonly DroppedFile[],
  match: string,
  existingClips: Iterable<string>,
  maxBytes: number | null
): DropVerdict[] {
  const taken = new Set(existingClips)
  return files.map((file) => {
    const clip = clipNameOf(file.name)
    const no = (reason: string): DropVerdict => ({ file, clip, ok: false, reason })
    if (!isVideoFileName(file.name)) {
      return no(`not a video the project can hold (${VIDEO_EXTENSIONS.join(', ')})`)
    }
    if (file.size === 0) return no('the file is empty')
    if (maxBytes !== null && file.size > maxBytes) {
      return no(`too big: ${formatBytes(file.size)}, the limit is ${formatBytes(maxBytes)}`)
    }
    if (taken.has(clip)) return no(`duplicate name: match "${match}" has a clip "${clip}" already`)
    taken.add(clip)
    return { file, clip, ok: true }
  })
}

export function formatBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB']
  let v = n
  let u = 0
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024
    u++
  }
  return u === 0 ? `${n} bytes` : `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`
}

/** Browser mode's upload route: POST the file's bytes here with ?match=…&name=… and the token header. */
export const UPLOAD_VIDEO_PATH = '/upload/video'
/** The header that carries browser mode's token on an upload (a custom header: no other site can send it). */
export const UPLOAD_TOKEN_HEADER = 'x-studio-token'
