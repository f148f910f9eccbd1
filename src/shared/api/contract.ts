// Runs everywhere (shared): the one API contract between the renderer and the backend.
// Every method has a params schema and a result schema; every pushed event has a payload schema.
// The backend implements exactly these methods (checked by the compiler, see handlers.ts and the type
// test), the preload exposes exactly these, and every value is validated when it crosses a boundary.
import { z } from 'zod'
import { AppInfo, FrameTime, OpenedVideo, VideoId, VideoState } from './schemas'

import { method } from './define'
import { PathOrDefault, FilePath } from '../project/names'
import { evaluationEvents, evaluationMethods } from './methods/evaluation'
import { projectEvents, projectMethods } from './methods/project'
import { recentMethods } from './methods/recent'
import { trainingEvents, trainingMethods } from './methods/training'
import { trackingEvents, trackingMethods } from './methods/tracking'

export const methods = {
  'app.info': method(z.object({}), AppInfo),
  /** Opens a video file (demuxes its frame index, cached on disk) and returns its facts. */
  'video.open': method(z.object({ path: FilePath('give the path of a video file') }), OpenedVideo),
  'video.close': method(z.object({ videoId: VideoId }), z.object({ closed: z.boolean() })),
  /** Timestamps of a range of frames, for the timeline and the frame counter. */
  'video.frameTimes': method(
    z.object({
      videoId: VideoId,
      from: z.number().int().nonnegative(),
      count: z.number().int().positive().max(100_000)
    }),
    z.array(FrameTime)
  ),
  /** Hints the decoder where the playhead is going, so frames are ready before they are asked for. */
  'video.prefetch': method(
    z.object({
      videoId: VideoId,
      frame: z.number().int().nonnegative(),
      direction: z.enum(['forward', 'backward', 'both'])
    }),
    z.object({ queued: z.boolean() })
  ),
  /**
   * Frames that repeat the previous frame's picture (a frame-rate conversion, e.g. 25 → 30 fps): the analysis
   * times the track by its pictures. Decodes the whole video small once per open.
   */
  'video.repeatedFrames': method(
    z.object({ videoId: VideoId }),
    z.object({ repeated: z.array(z.number().int().positive()) })
  ),
  /** Lists a folder, for the path picker of browser mode (no native dialog there). */
  'fs.list': method(
    z.object({ dir: PathOrDefault.optional() }),
    z.object({
      dir: z.string(),
      parent: z.string().nullable(),
      entries: z.array(
        z.object({ name: z.string(), path: z.string(), kind: z.enum(['dir', 'video', 'file']) })
      )
    })
  ),
  ...projectMethods,
  ...recentMethods,
  ...trainingMethods,
  ...trackingMethods,
  ...evaluationMethods
} as const

export const events = {
  'video.state': VideoState,
  ...projectEvents,
  ...trainingEvents,
  ...trackingEvents,
  ...evaluationEvents
} as const

export type Methods = typeof methods
export type MethodName = keyof Methods
export type Params<M extends MethodName> = z.input<Methods[M]['params']>
export type Result<M extends MethodName> = z.output<Methods[M]['result']>
export type EventName = keyof typeof events
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>

export const methodNames = Object.keys(methods) as MethodName[]
export const eventNames = Object.keys(events) as EventName[]

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(methods, name)
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name)
}
