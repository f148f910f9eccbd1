// Runs everywhere (shared): the tracking part of the API contract — list the tracker models, track a video
// (a job: progress and chunks of predictions are pushed as they come, so they appear on the frames at once),
// cancel it, fetch the finished track, and where a clip's track disagrees with itself.
import { z } from 'zod'
import { method } from '../define'
import { cancelMethod, JobEventBase, JobState } from './jobs'
import { FilePath } from '../../project/names'
import { ClipId } from './project'

export const ProviderChoice = z.enum(['auto', 'cpu', 'cuda', 'dml', 'coreml'])

export const ModelInfo = z.object({
  /** What track.start takes: the file stem of a bundled or user model, or the path of any other. */
  id: z.string(),
  path: z.string(),
  source: z.enum(['bundled', 'user', 'project', 'path']),
  /** The shuttle.* metadata as written in the model. */
  metadata: z.record(z.string(), z.string()),
  /** Null when the model is usable; otherwise why not. */
  problem: z.string().nullable()
})

/** One frame of a track, in the video's pixels. */
export const TrackedPoint = z.object({
  frame: z.number().int().nonnegative(),
  visible: z.boolean(),
  x: z.number(),
  y: z.number(),
  confidence: z.number(),
  /** detected by the model; filled/removed/smoothed by rectification; none: not seen. */
  source: z.enum(['detected', 'filled', 'removed', 'smoothed', 'none'])
})

export const TrackProgressEvent = JobEventBase.extend({
  path: z.string(),
  /**
   * background: the clip's median frame is being made (done/total count the frames read for it) before any
   * frame is tracked; tracking: done/total count tracked frames. Absent = tracking.
   */
  phase: z.enum(['background', 'tracking']).optional(),
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  fps: z.number().nonnegative(),
  etaSeconds: z.number().nonnegative().nullable(),
  /** The execution provider that runs, and why when it is a fallback; null before it starts or from the cache. */
  provider: z.string().nullable(),
  fromCache: z.boolean(),
  /** What went wrong (failed) or what to do next. */
  message: z.string().optional()
})

/** Raw detections of consecutive frames [from, from + points.length), as the tracker finishes them. */
export const TrackChunkEvent = z.object({
  jobId: z.string(),
  path: z.string(),
  from: z.number().int().nonnegative(),
  points: z.array(TrackedPoint)
})

export const trackingMethods = {
  /** The bundled and user models with their metadata (the default first). */
  'models.list': method(
    z.object({}),
    z.object({ models: z.array(ModelInfo), defaultModel: z.string().nullable() })
  ),
  /** Starts tracking a video (one job per video; starting it again returns the running job). */
  'track.start': method(
    z.object({
      path: FilePath('give the path of the video to track'),
      model: FilePath('give a model').optional(),
      provider: ProviderChoice.optional(),
      rectify: z.boolean().optional(),
      /**
       * Each frame seen by one model window instead of averaged over every window that holds it (the model's
       * own stride): a third of the network's work, about twice as fast start to finish on a CPU, a point or
       * two of F1 lower; decoded at the threshold the model carries for that stride.
       */
      fast: z.boolean().optional()
    }),
    z.object({ jobId: z.string() })
  ),
  /** Stops a job; what it finished is kept, and starting it again continues from there. */
  'track.cancel': cancelMethod(),
  /** The finished track (rectified unless asked otherwise) of a done job. */
  'track.result': method(
    z.object({ jobId: z.string() }),
    z.object({
      jobId: z.string(),
      path: z.string(),
      model: z.string(),
      state: JobState,
      points: z.array(TrackedPoint)
    })
  ),
  /**
   * Frames of a clip's latest track (in the open project) where the model disagrees with itself: the flight
   * path took a blob that is not the frame's strongest, or rectification removed the frame's detection.
   * Ascending; empty when the clip has no track yet.
   */
  'track.disagreements': method(
    z.object({ clipId: ClipId }),
    z.object({ clipId: ClipId, frames: z.array(z.number().int().nonnegative()) })
  )
} as const

export const trackingEvents = {
  'track.progress': TrackProgressEvent,
  'track.chunk': TrackChunkEvent
} as const
