// Runs everywhere (shared): which files a project takes as clip videos and the clip name each gets, so the
// renderer can turn a dropped file away with a clear reason before sending a byte, and the backend applies
// exactly the same rules when the bytes arrive.

/** File extensions a project holds as videos (lower case, with the dot). */
export const VIDEO_EXTENSIONS: readonly string[] = [
  '.mp4',
  '.mov',
  '.avi',
  '.mkv',
  '.m4v',
  '.webm',
  '.mts',
  '.ts'
]

/**
 * Extensions other files use too — `.ts` is TypeScript as often as an MPEG transport stream — so such a file is
 * a video only when its first bytes say so (see isVideoFile). Every other video extension is taken by name.
 */
export const SNIFFED_VIDEO_EXTENSIONS: readonly string[] = ['.ts']

/** MPEG-TS packets are 188 bytes, each opening with the sync byte 0x47. */
const TS_PACKET_BYTES = 188
const TS_SYNC_BYTE = 0x47
/** The bytes isVideoFile needs from the file's start: three packets' sync bytes (offsets 0, 188, 376). */
export const VIDEO_SNIFF_BYTES = 2 * TS_PACKET_BYTES + 1

/** Whether a file's first bytes are an MPEG transport stream: the sync byte at 0, 188 and 376. */
export function isMpegTsHead(head: Uint8Array): boolean {
  return [0, 1, 2].every((i) => head[i * TS_PACKET_BYTES] === TS_SYNC_BYTE)
}

/** Whether a file name alone cannot tell (its extension is shared with other kinds of file). */
export function needsVideoSniff(fileName: string): boolean {
  return SNIFFED_VIDEO_EXTENSIONS.includes(extensionOf(fileName))
}

/**
 * The one rule for "is this file a video the project can hold", used by the folder picker and wherever videos
 * join a project: its extension is a video's, and for `.ts` its first VIDEO_SNIFF_BYTES bytes are MPEG-TS.
 */
export function isVideoFile(fileName: string, head: Uint8Array): boolean {
  return isVideoFileName(fileName) && (!needsVideoSniff(fileName) || isMpegTsHead(head))
}

/** Largest video browser mode accepts as an upload (a 1080p60 match of about two hours at high bitrate). */
export const MAX_VIDEO_UPLOAD_BYTES = 16 * 1024 ** 3

/** The extension of a file name, lower case with its dot ('' when there is none). */
export function extensionOf(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, '')
  const dot = base.lastIndexOf('.')
  return dot > 0 ? base.slice(dot).toLowerCase() : ''
}

/** Whether the extension is a video's (a `.ts` file still needs isVideoFile's look at its bytes). */
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
