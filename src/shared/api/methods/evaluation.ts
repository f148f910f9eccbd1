// Runs everywhere (shared): the evaluation part of the API contract — score a tracker model on every labelled
// clip of the open project (a job: each clip is tracked through the tracking engine, its cache included, then
// scored with the shared TrackNet metrics, so the figures are the ones `shuttle-studio eval` prints), optionally
// against a second model on the same clips; fetch the tables, the worst frames, the comparison, and per clip
// the outcome of every frame for the timeline. Merged into the one contract in ../contract.ts.
import { z } from 'zod'
import { GROUND_TRUTH_POLICIES } from '../../evaluation/ground-truth'
import { method } from '../define'
import { cancelMethod, JobEventBase, JobState } from './jobs'
import { FilePath } from '../../project/names'
import { ClipId } from './project'
import { ProviderChoice } from './tracking'

const count = z.number().int().nonnegative()
const ratio = z.number().min(0).max(1)

export const GroundTruthPolicy = z.enum(GROUND_TRUTH_POLICIES)

/** The TrackNet figures of some frames at one tolerance (docs/ARCHITECTURE.md "Metrics"). */
export const EvalFigures = z.object({
  TP: count,
  FP1: count,
  FP2: count,
  FN: count,
  TN: count,
  frames: count,
  precision: ratio,
  recall: ratio,
  F1: ratio,
  accuracy: ratio,
  /** Prediction-to-label distance of the TPs, video pixels; null percentiles when there is no TP. */
  distance: z.object({
    count,
    p50: z.number().nullable(),
    p90: z.number().nullable(),
    p95: z.number().nullable()
  })
})

/** 'tracknet': τ = px at 512×288 scaled to each video; 'strict': τ = px at the video's own resolution. */
const BothTolerances = z.object({ tracknet: EvalFigures, strict: EvalFigures })

const ClipRef = { clipId: ClipId, match: z.string(), clip: z.string() }

export const EvalClip = BothTolerances.extend({
  ...ClipRef,
  /** The video's frames. */
  frames: count,
  /** Ground-truth frames scored. */
  evaluated: count,
  /** Labelled frames left out: no person made or accepted them (unreviewed model or interpolated labels). */
  notByPeople: count,
  /** Frames nobody labelled, left out. */
  unknown: count,
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** τ in video pixels at each tolerance. */
  tolerance: z.object({ tracknet: z.number().nonnegative(), strict: z.number().nonnegative() })
})

export const EvalMatch = BothTolerances.extend({ match: z.string(), clips: count })

/** Consecutive frames of one clip with the same error (TrackNet tolerance). */
export const EvalErrorRun = z.object({
  ...ClipRef,
  outcome: z.enum(['FP1', 'FP2', 'FN']),
  from: count,
  to: count,
  /** The frame to open: the largest error of an FP1 run, the first frame of an FP2 or FN run. */
  frame: count,
  /** FP1: the run's largest distance, video pixels; null for FP2 and FN. */
  distance: z.number().nullable()
})

/** One model's figures on the evaluated clips. */
export const EvalSide = z.object({
  model: z.string(),
  modelPath: z.string(),
  rectify: z.boolean(),
  clips: z.array(EvalClip),
  matches: z.array(EvalMatch),
  overall: BothTolerances,
  /** Worst first, at most 100 of each: FP1 by largest distance, FN and FP2 by length. */
  worst: z.array(EvalErrorRun)
})

const CompareCounts = {
  /** Frames A gets right (TP or TN at the TrackNet tolerance) and B gets wrong (FP1, FP2, FN). */
  onlyA: count,
  onlyB: count,
  bothRight: count,
  bothWrong: count
}

export const EvalComparison = z.object({
  ...CompareCounts,
  clips: z.array(z.object({ ...ClipRef, ...CompareCounts })),
  /** Consecutive frames one model gets right and the other wrong; longest first, at most 100 per side. */
  runs: z.array(z.object({ ...ClipRef, right: z.enum(['A', 'B']), from: count, to: count }))
})

/** A track to score: a model (the default when left out) and whether its track is rectified (as `track`). */
const Runner = z.object({
  model: FilePath('give a model').optional(),
  rectify: z.boolean().default(true)
})

/** One character per frame: '.' not evaluated, '0'..'4' = TN, TP, FP2, FN, FP1 (evaluation/outcome-codes.ts). */
const PerFrame = z.object({
  outcomes: z.string().regex(/^[.0-4]*$/, 'outcomes are . or 0-4, one per frame'),
  /** base64 of a little-endian Float32Array: the distance per frame where both are visible, NaN elsewhere. */
  distances: z.string()
})

export const EvalProgressEvent = JobEventBase.extend({
  clipsDone: count,
  clipsTotal: count,
  /** The clip being tracked or scored, and for which model ('A' or 'B'). */
  clipId: ClipId.nullable(),
  clip: z.string().nullable(),
  side: z.enum(['A', 'B']).nullable(),
  /** The current clip's tracking: frames done of all (instant when the track is cached). */
  framesDone: count,
  framesTotal: count,
  message: z.string().optional()
})

export const evaluationMethods = {
  /**
   * Starts evaluating `model` (and, with `compare`, a second model) on the open project's labelled clips (all,
   * or `clipIds`). Ground truth is what people labelled (see `groundTruth`); frames nobody labelled are left
   * out. One evaluation runs at a time.
   */
  'evaluation.start': method(
    Runner.extend({
      compare: Runner.optional(),
      clipIds: z.array(ClipId).min(1, 'give at least one clip, or leave clipIds out for all').optional(),
      /** Pixels at 512×288 for the TrackNet tolerance, at the video's resolution for the strict one. */
      tolerancePx: z.number().positive('the tolerance is a positive number of pixels').max(64).default(4),
      groundTruth: GroundTruthPolicy.default('people'),
      provider: ProviderChoice.optional()
    }),
    z.object({ jobId: z.string(), clips: count })
  ),
  /** Stops an evaluation; the tracker keeps what it finished, so running it again continues from there. */
  'evaluation.cancel': cancelMethod(),
  /** An evaluation's state and, once done, its figures (the latest evaluation when jobId is left out). */
  'evaluation.result': method(
    z.object({ jobId: z.string().optional() }),
    z.object({
      jobId: z.string(),
      state: JobState,
      projectDir: z.string(),
      startedAt: z.number(),
      finishedAt: z.number().nullable(),
      tolerancePx: z.number().positive(),
      groundTruth: GroundTruthPolicy,
      clipsDone: count,
      clipsTotal: count,
      a: EvalSide.nullable(),
      b: EvalSide.nullable(),
      comparison: EvalComparison.nullable(),
      /** Clips left out and why, in words. */
      notes: z.array(z.string()),
      /** Why it failed or was cancelled. */
      message: z.string().nullable()
    })
  ),
  /** The outcome and distance of every frame of one evaluated clip, for the timeline lane. */
  'evaluation.frames': method(
    z.object({ jobId: z.string(), clipId: ClipId }),
    z.object({ clipId: ClipId, frameCount: count, a: PerFrame, b: PerFrame.nullable() })
  )
} as const

export const evaluationEvents = {
  'evaluation.progress': EvalProgressEvent
} as const
