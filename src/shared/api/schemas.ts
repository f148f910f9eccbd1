// Runs everywhere (shared): the value shapes that cross a process boundary, as zod schemas.
// Types are inferred from these, so the renderer, preload, backend and servers cannot drift apart.
import { z } from 'zod'

export const VideoId = z.string().regex(/^[a-z0-9-]{1,64}$/, 'a video id is a short lowercase token')

export const FfmpegInfo = z.object({
  ffmpegPath: z.string(),
  ffprobePath: z.string(),
  version: z.string(),
  source: z.enum(['setting', 'env', 'ffmpeg-static', 'path'])
})

export const VideoInfo = z.object({
  path: z.string(),
  name: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  codec: z.string(),
  pixFmt: z.string(),
  /** Displayed size, after rotation. */
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** Size as stored in the stream, before rotation. */
  codedWidth: z.number().int().positive(),
  codedHeight: z.number().int().positive(),
  /** Clockwise rotation applied on display, degrees (0, 90, 180, 270). */
  rotation: z.number().int(),
  /** Average frame rate: frameCount / duration. */
  fps: z.number().positive(),
  /** True when frame durations vary by more than 1 %. */
  variableFrameRate: z.boolean(),
  frameCount: z.number().int().nonnegative(),
  /** Seconds from the first frame's timestamp to the end of the last frame. */
  duration: z.number().nonnegative(),
  /** Presentation timestamp of frame 0, seconds (non-zero in some broadcasts). */
  startTime: z.number(),
  keyframeCount: z.number().int().nonnegative()
})

export const OpenedVideo = z.object({
  videoId: VideoId,
  info: VideoInfo
})

export const FrameTime = z.object({
  frame: z.number().int().nonnegative(),
  /** Seconds since frame 0 (the time a user sees). */
  time: z.number(),
  keyframe: z.boolean()
})

export const AppInfo = z.object({
  version: z.string(),
  host: z.enum(['electron', 'browser', 'cli']),
  platform: z.string(),
  ffmpeg: FfmpegInfo.nullable(),
  /** Why ffmpeg is missing and what to do, when it is. */
  ffmpegProblem: z.string().nullable(),
  demoVideo: z.string().nullable()
})

export const VideoState = z.object({
  videoId: VideoId,
  state: z.enum(['open', 'closed', 'missing']),
  message: z.string().optional()
})

export const ApiErrorCode = z.enum([
  'bad-request',
  'unknown-method',
  'not-found',
  'not-a-video',
  'no-ffmpeg',
  /** A path outside what the person opened or chose (src/backend/fs/access-scope.ts). */
  'forbidden',
  'io',
  'cancelled',
  'internal'
])

export const ApiError = z.object({
  code: ApiErrorCode,
  message: z.string()
})
