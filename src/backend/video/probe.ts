// Runs in the backend (plain Node): asks ffprobe what a file holds (sizes, rotation, codec, timing) and picks
// the video stream every other part of the engine reads. Frame counts here are the container's estimate; the
// packet index (frame-index.ts) replaces them with exact values (see withIndex in video-info.ts).
import path from 'node:path'
import type { z } from 'zod'
import type { VideoInfo as VideoInfoSchema } from '../../shared/api/schemas'
import { ChildGroup, runToEnd } from './child-processes'
import { checkVideoFile, fileHead, noVideoStream, probeFailed, timedOut } from './video-errors'

export type VideoInfo = z.infer<typeof VideoInfoSchema>

/** What the engine needs beyond VideoInfo to index and seek the stream. */
export interface ProbeResult {
  info: VideoInfo
  /** Index of the video stream among all streams of the file (for -select_streams / -map 0:N). */
  streamIndex: number
  /** The stream's time base, so packet timestamps become exact seconds. */
  timeBase: { num: number; den: number }
  /** The container's start time, seconds: ffmpeg's -ss counts from here, not from the video's first frame. */
  formatStartTime: number
  /** The stream reorders frames (B-frames): decode order is not presentation order. */
  bFrames: boolean
}

const PROBE_TIMEOUT_MS = 30_000

interface FfprobeStream {
  index: number
  codec_type?: string
  codec_name?: string
  pix_fmt?: string
  width?: number
  height?: number
  time_base?: string
  r_frame_rate?: string
  avg_frame_rate?: string
  start_time?: string
  duration?: string
  nb_frames?: string
  has_b_frames?: number
  disposition?: { attached_pic?: number }
  tags?: Record<string, string>
  side_data_list?: { side_data_type?: string; rotation?: number }[]
}

interface FfprobeOutput {
  streams?: FfprobeStream[]
  format?: { start_time?: string; duration?: string; format_name?: string }
}

export async function probeVideo(
  ffprobe: string,
  filePath: string,
  group = new ChildGroup()
): Promise<ProbeResult> {
  const abs = path.resolve(filePath)
  const { size } = await checkVideoFile(abs)
  // An absolute path never starts with "-", so ffprobe cannot take it for an option.
  const args = ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', abs]
  const r = await runToEnd(group, 'ffprobe', ffprobe, args, PROBE_TIMEOUT_MS)
  if (r.timedOut) throw timedOut(abs, 'Reading the format', PROBE_TIMEOUT_MS / 1000)
  if (r.code !== 0) {
    await checkVideoFile(abs) // vanished in the meantime: say so rather than "not a video"
    throw probeFailed(abs, r.stderr, await fileHead(abs))
  }
  let out: FfprobeOutput
  try {
    out = JSON.parse(r.stdout) as FfprobeOutput
  } catch {
    throw probeFailed(abs, 'ffprobe printed something that is not JSON')
  }
  const streams = out.streams ?? []
  const video = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic)
  if (!video) {
    const kinds = streams.map((s) => (s.disposition?.attached_pic ? 'cover picture' : (s.codec_type ?? '?')))
    throw noVideoStream(
      abs,
      kinds.length ? `it holds: ${[...new Set(kinds)].join(', ')}` : 'it holds no streams'
    )
  }
  if (!video.width || !video.height) throw probeFailed(abs, 'the video stream has no picture size')

  const rotation = rotationOf(video)
  const swap = rotation === 90 || rotation === 270
  const timeBase = ratio(video.time_base) ?? { num: 1, den: 90_000 }
  const rate = ratio(video.avg_frame_rate) ?? ratio(video.r_frame_rate)
  const fps = rate && rate.num > 0 && rate.den > 0 ? rate.num / rate.den : 30
  const duration = num(video.duration) ?? num(out.format?.duration) ?? 0
  const frameCount = Math.max(0, Math.round(num(video.nb_frames) ?? duration * fps))
  const startTime = num(video.start_time) ?? 0

  const info: VideoInfo = {
    path: abs,
    name: path.basename(abs),
    sizeBytes: size,
    codec: video.codec_name ?? 'unknown',
    pixFmt: video.pix_fmt ?? 'unknown',
    width: swap ? video.height : video.width,
    height: swap ? video.width : video.height,
    codedWidth: video.width,
    codedHeight: video.height,
    rotation,
    fps,
    variableFrameRate: false,
    frameCount,
    duration,
    startTime,
    keyframeCount: 0
  }
  return {
    info,
    streamIndex: video.index,
    timeBase,
    formatStartTime: num(out.format?.start_time) ?? startTime,
    bFrames: (video.has_b_frames ?? 0) > 0
  }
}

/**
 * Clockwise display rotation in degrees. Newer ffmpeg reports a display matrix whose angle is
 * counter-clockwise; ffmpeg before 5.0 (and some muxers) wrote a clockwise "rotate" tag.
 */
function rotationOf(s: FfprobeStream): number {
  const matrix = s.side_data_list?.find(
    (d) => d.side_data_type === 'Display Matrix' && d.rotation !== undefined
  )
  let cw = 0
  if (matrix?.rotation !== undefined) cw = -matrix.rotation
  else if (s.tags?.rotate) cw = Number(s.tags.rotate) || 0
  const quarter = Math.round(cw / 90) * 90
  return ((quarter % 360) + 360) % 360
}

function ratio(s: string | undefined): { num: number; den: number } | null {
  if (!s) return null
  const [a, b] = s.split('/').map(Number)
  if (!a || !b || !Number.isFinite(a) || !Number.isFinite(b)) return null
  return { num: a, den: b }
}

function num(s: string | undefined): number | null {
  if (s === undefined || s === 'N/A') return null
  const n = Number(s)
  return Number.isFinite(n) ? n : null
}
