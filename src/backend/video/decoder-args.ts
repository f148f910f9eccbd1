// Runs in the backend (plain Node): the ffmpeg command lines that decode a video's frames, in two forms: a
// fresh process seeking with -ss, and a "warm" process started ahead of time that waits for a one-line concat
// script on stdin telling it which file and where to start. The warm form exists because starting Debian's
// ffmpeg (200+ shared libraries) costs 150-500 ms of the user's wait on every seek.
import type { FfmpegInfo } from '../ffmpeg/locate'
import { machineBusy } from '../machine-load'
import type { FrameIndex } from './frame-index'
import { passthroughArgs, rotationFilter, seekInputArgs, skipStreamInfoArgs } from './seek-plan'

export type FrameOutput = { kind: 'jpeg'; quality: number } | { kind: 'rgb'; width: number; height: number }

export interface DecodeTarget {
  ffmpeg: FfmpegInfo
  path: string
  index: FrameIndex
  streamIndex: number
  formatStartTime: number
  rotation: number
  output: FrameOutput
  /** Decoder threads; undefined lets ffmpeg choose. */
  threads?: number
}

const COMMON = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info']

function outputArgs(t: DecodeTarget, pre: string[], frames: number | null): string[] {
  const filters = [...pre, ...rotationFilter(t.rotation)]
  if (t.output.kind === 'rgb') filters.push(`scale=${t.output.width}:${t.output.height}:flags=bilinear`)
  // showinfo prints each output frame's pts on stderr: how every picture is matched to its frame number.
  filters.push('showinfo=checksum=0')
  const args = ['-map', `0:${t.streamIndex}`, '-vf', filters.join(','), ...passthroughArgs(t.ffmpeg)]
  // A microsecond encoder time base: the default (1/frame rate) gives two VFR frames the same pts, which the
  // MJPEG encoder refuses ("Invalid pts").
  args.push('-enc_time_base', '1/1000000')
  if (frames !== null) args.push('-frames:v', String(frames))
  if (t.output.kind === 'jpeg') {
    // Default Huffman tables: "optimal" ones need a second pass over every frame (about 30 % slower at 1080p).
    // One encoder thread: ffmpeg's default frame-threaded encoder holds each picture until two more frames have
    // been decoded, so a seek's frame would wait for the frames after it (scripts/profile-seek.ts).
    args.push('-threads', '1', '-c:v', 'mjpeg', '-q:v', String(t.output.quality), '-huffman', 'default')
    args.push('-f', 'image2pipe')
  } else {
    args.push('-pix_fmt', 'rgb24', '-f', 'rawvideo')
  }
  args.push('pipe:1')
  return args
}

function inputPrefix(t: DecodeTarget): string[] {
  const args = [...COMMON]
  // When every core is taken already (machineBusy), frame threads only add their start-up (a 1080p context
  // each) and hand-offs: a 1080p seek on 2 loaded cores took 665 ms with one decoder thread against 740 ms with
  // ffmpeg's choice (scripts/profile-seek.ts and docs/ARCHITECTURE.md). On an idle machine ffmpeg's choice is
  // the faster one and is kept.
  const threads = t.threads ?? (t.output.kind === 'jpeg' && machineBusy() ? 1 : undefined)
  if (threads !== undefined) args.push('-threads', String(threads))
  return [...args, '-noautorotate']
}

/**
 * A fresh ffmpeg decoding from frame `start` (accurate -ss seek), at most `frames` output frames; `pre` filters
 * run first, on the decoded picture (selectFramesFilter).
 */
export function seekingArgs(t: DecodeTarget, start: number, frames: number, pre: string[] = []): string[] {
  return [
    ...inputPrefix(t),
    ...seekInputArgs(t.index, t.formatStartTime, start),
    '-i',
    t.path,
    ...outputArgs(t, pre, frames)
  ]
}

/**
 * A select filter that passes only these frames, before anything is rotated, scaled or piped: a frame passes
 * when its timestamp is within the index's match tolerance of the frame's pts, which is exactly how
 * FrameStream names the pictures that come out (-copyts, so the filter sees stream pts as the index holds
 * them). Every other frame is decoded and dropped at once.
 */
export function selectFramesFilter(t: DecodeTarget, frames: readonly number[]): string {
  const tol = t.index.matchTolerance()
  const terms = frames.map((f) => {
    const pts = t.index.pts[f]!
    return `between(t\\,${(pts - tol).toFixed(6)}\\,${(pts + tol).toFixed(6)})`
  })
  return `select=${terms.join('+')}`
}

/**
 * A warm ffmpeg: libraries loaded, blocked reading its input (a concat script) from stdin. The concat demuxer
 * seeks to `inpoint` like -ss and shifts timestamps so frame `inpoint` has pts 0: earlier frames (decoded
 * from the keyframe) come out negative and the select filter drops them before JPEG encoding.
 */
export function warmArgs(t: DecodeTarget): string[] {
  return [
    ...inputPrefix(t),
    ...skipStreamInfoArgs(t.ffmpeg),
    ...['-copyts', '-protocol_whitelist', 'file,pipe', '-f', 'concat', '-safe', '0', '-i', 'pipe:0'],
    ...outputArgs(t, ['select=gte(pts\\,0)'], null)
  ]
}

/** The script a warm ffmpeg reads: start at frame `start` of the file. Null when the path cannot be written. */
export function warmScript(t: DecodeTarget, start: number): { script: string; ptsOffset: number } | null {
  if (/[\r\n]/.test(t.path)) return null
  // "file:" stops the demuxer from resolving the path against the script's own URL (pipe:0).
  const head = `ffconcat version 1.0\nfile 'file:${t.path.replace(/'/g, "'\\''")}'\n`
  // From frame 0 no seek at all (some demuxers land late even there); timestamps then count from the
  // container's start time.
  if (start === 0) return { script: head, ptsOffset: t.formatStartTime }
  const inpoint = t.index.pts[start]!
  return { script: `${head}inpoint ${inpoint.toFixed(6)}\n`, ptsOffset: inpoint }
}
