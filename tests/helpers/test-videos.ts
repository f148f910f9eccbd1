// Runs in Node (Vitest and Playwright): makes the small test videos the tests need, with ffmpeg, on demand.
// Every video frame draws its own frame number as the block pattern of frame-pattern.ts, upright in the
// DISPLAYED picture (the rotated clip stores its pixels turned the other way), so a test can check that frame
// N shown is frame N drawn. A video already made in `dir` with the same options is reused.
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { PATTERN } from './frame-pattern'

const run = promisify(execFile)

export type TestVideoKind =
  | 'cfr'
  | 'vfr'
  | 'dropped'
  | 'bframes'
  | 'start-offset'
  | 'rotated'
  | 'intra'
  | 'audio-only'
  | 'truncated'
  | 'not-a-video'

export interface TestVideoOptions {
  /** Frames to make (video kinds). */
  frames?: number
  /** Displayed size. */
  width?: number
  height?: number
  /** File name without folder; default "<kind>.<ext>". */
  name?: string
  /** Frames from one keyframe to the next ('cfr' only; default its TEST_VIDEO_FACTS gop). */
  gop?: number
  /** 'dropped' only: encode with B-frames (decode order then differs from presentation order). */
  bFrames?: boolean
}

/** What each kind is, for tests that check the index against it. */
export const TEST_VIDEO_FACTS = {
  cfr: { frames: 120, fps: 30, rotation: 0, startTime: 0, gop: 30 },
  vfr: { frames: 120, fps: null, rotation: 0, startTime: 0, gop: 30 },
  bframes: { frames: 150, fps: 30, rotation: 0, startTime: 0, gop: 60 },
  'start-offset': { frames: 120, fps: 30, rotation: 0, startTime: 10, gop: 30 },
  rotated: { frames: 90, fps: 30, rotation: 90, startTime: 0, gop: 30 },
  intra: { frames: 60, fps: 25, rotation: 0, startTime: 0, gop: 1 }
} as const

const EXT: Record<TestVideoKind, string> = {
  cfr: 'mp4',
  vfr: 'mp4',
  dropped: 'mp4',
  bframes: 'mp4',
  'start-offset': 'ts',
  rotated: 'mp4',
  intra: 'mov',
  'audio-only': 'm4a',
  truncated: 'mp4',
  'not-a-video': 'mp4'
}

export function ffmpegBin(): string {
  return process.env.FFMPEG_PATH || 'ffmpeg'
}

export function ffprobeBin(): string {
  return process.env.FFPROBE_PATH || 'ffprobe'
}

export async function makeTestVideo(
  kind: TestVideoKind,
  dir: string,
  opts: TestVideoOptions = {}
): Promise<string> {
  await mkdir(dir, { recursive: true })
  const file = path.join(dir, opts.name ?? `${kind}.${EXT[kind]}`)
  if (existsSync(file)) return file
  // Made under a temporary name and renamed: a test run killed halfway leaves no broken "video" behind.
  const tmp = path.join(dir, `.making-${process.pid}-${Math.random().toString(36).slice(2)}.${EXT[kind]}`)
  try {
    await make(kind, tmp, opts)
    await rename(tmp, file)
  } finally {
    await rm(tmp, { force: true })
  }
  return file
}

async function make(kind: TestVideoKind, out: string, opts: TestVideoOptions): Promise<void> {
  const facts = kind in TEST_VIDEO_FACTS ? TEST_VIDEO_FACTS[kind as keyof typeof TEST_VIDEO_FACTS] : null
  const frames = opts.frames ?? facts?.frames ?? 120
  const width = opts.width ?? (kind === 'rotated' ? 240 : 320)
  const height = opts.height ?? (kind === 'rotated' ? 320 : 240)
  const x264 = ['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p']
  // Scene-cut detection would add keyframes where many cells flip at once; the GOP must be what we say.
  const gop = (g: number): string[] => ['-g', String(g), '-keyint_min', String(g), '-sc_threshold', '0']
  const src = (fps: number, extra = ''): string[] => [
    '-f',
    'lavfi',
    '-i',
    `color=c=black:s=${width}x${height}:r=${fps},${PATTERN.ffmpegFilter(width, height)}${extra},format=yuv420p`
  ]
  const common = ['-hide_banner', '-loglevel', 'error', '-y']
  switch (kind) {
    case 'cfr':
      return ff([...common, ...src(30), '-frames:v', String(frames), ...x264, ...gop(opts.gop ?? 30), out])
    case 'bframes':
      return ff([
        ...common,
        ...src(30),
        '-frames:v',
        String(frames),
        ...x264,
        ...gop(60),
        '-bf',
        '3',
        '-x264-params',
        'b-adapt=0',
        out
      ])
    case 'dropped':
      // A 120 fps camera that drops every other frame for its first 200 (under load), then keeps up; a keyframe
      // every 40 pictures, no B-frames unless asked. OpenCV's seek numbers its pictures up to 35 apart from their order
      // (video/opencv-frame-numbers.ts). The pattern's number is the camera's, not the picture's: not in
      // TEST_VIDEO_FACTS, whose decode tests read it as the picture's.
      return ff([
        ...common,
        ...src(120, ",select='if(lt(n\\,200)\\,not(mod(n\\,2))\\,1)'"),
        '-fps_mode',
        'passthrough',
        '-frames:v',
        String(opts.frames ?? 240),
        ...x264,
        ...gop(40),
        '-bf',
        opts.bFrames ? '3' : '0',
        '-video_track_timescale',
        '12000',
        out
      ])
    case 'vfr':
      // Real varying durations: 46.7, 46.7, 6.7 ms... (pts = (N + 0.4·(N mod 3)) / 30), on a fine time base.
      return ff([
        ...common,
        ...src(30, ",settb=1/90000,setpts='(N+0.4*mod(N\\,3))/30/TB'"),
        '-frames:v',
        String(frames),
        ...x264,
        ...gop(30),
        '-fps_mode',
        'vfr',
        '-video_track_timescale',
        '90000',
        out
      ])
    case 'start-offset':
      // MPEG-TS as broadcasts are: the first frame's timestamp is 10 s (plus the muxer's delay).
      return ff([
        ...common,
        ...src(30),
        '-frames:v',
        String(frames),
        ...x264,
        ...gop(30),
        '-output_ts_offset',
        '10',
        '-muxdelay',
        '0',
        '-muxpreload',
        '0',
        out
      ])
    case 'intra':
      // Every frame a keyframe, as camera MJPEG (and intra editing codecs) are.
      return ff([...common, ...src(25), '-frames:v', String(frames), '-c:v', 'mjpeg', '-q:v', '3', out])
    case 'rotated':
      return makeRotated(out, [
        ...common,
        ...src(30, ',transpose=cclock'),
        '-frames:v',
        String(frames),
        ...x264,
        ...gop(30)
      ])
    case 'audio-only':
      return ff([...common, '-f', 'lavfi', '-i', 'sine=frequency=440:duration=2', '-c:a', 'aac', out])
    case 'truncated': {
      // moov at the end (ffmpeg's default) and the file cut in the middle: a copy that did not finish.
      const whole = `${out}.whole.mp4`
      await ff([...common, ...src(30), '-frames:v', String(frames), ...x264, ...gop(30), whole])
      const bytes = await readFile(whole)
      await writeFile(out, bytes.subarray(0, Math.floor(bytes.length * 0.6)))
      await rm(whole, { force: true })
      return
    }
    case 'not-a-video':
      return writeFile(out, 'This is a text file that was named like a video.\n'.repeat(50))
  }
}

/**
 * A phone clip: pixels stored turned 90° counter-clockwise, with a display rotation of 90° clockwise, so the
 * displayed picture (after autorotation) is upright. ffmpeg 5.x writes it with the "rotate" stream tag; ffmpeg
 * 6+ ignores that tag and has -display_rotation (counter-clockwise degrees) instead. Each way is checked with
 * ffprobe, so a version that does neither fails here rather than in a test that would then mislead.
 */
async function makeRotated(out: string, encode: string[]): Promise<void> {
  const plain = `${out}.plain.mp4`
  try {
    await ff([...encode, plain])
    const attempts: string[][] = [
      // ffmpeg 5.1's mov muxer stores the tag's angle as counter-clockwise (checked: rotate=90 displays
      // turned 90° counter-clockwise), so 270 is tried first; the check below settles it for any version.
      ['-i', plain, '-c', 'copy', '-metadata:s:v:0', 'rotate=270'],
      ['-i', plain, '-c', 'copy', '-metadata:s:v:0', 'rotate=90'],
      ['-display_rotation', '-90', '-i', plain, '-c', 'copy'],
      ['-display_rotation', '90', '-i', plain, '-c', 'copy']
    ]
    for (const a of attempts) {
      try {
        await ff(['-hide_banner', '-loglevel', 'error', '-y', ...a, out])
      } catch {
        continue
      }
      if ((await clockwiseRotation(out)) === 90) return
    }
    throw new Error(
      'this ffmpeg could not write a 90° display rotation (tried rotate tag and -display_rotation)'
    )
  } finally {
    await rm(plain, { force: true })
  }
}

async function clockwiseRotation(file: string): Promise<number> {
  const { stdout } = await run(ffprobeBin(), ['-v', 'error', '-print_format', 'json', '-show_streams', file])
  const s = (
    JSON.parse(stdout) as {
      streams: { side_data_list?: { rotation?: number }[]; tags?: { rotate?: string } }[]
    }
  ).streams[0]
  const m = s?.side_data_list?.find((d) => d.rotation !== undefined)?.rotation
  const cw = m !== undefined ? -m : Number(s?.tags?.rotate ?? 0)
  return ((cw % 360) + 360) % 360
}

async function ff(args: string[]): Promise<void> {
  try {
    await run(ffmpegBin(), args, { timeout: 120_000, maxBuffer: 16 * 1024 * 1024 })
  } catch (e) {
    const err = e as { stderr?: string; message: string }
    throw new Error(`ffmpeg failed making a test video: ${err.stderr?.trim() || err.message}`)
  }
}
