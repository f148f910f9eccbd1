// Runs everywhere (shared): the training part of the API contract — the adaptation loop of the open project:
// what it would train on (the summary), which frames to label next, adapting the project's tracking model to
// its labels with the Python training package (a job: progress, Stop, resume after a crash), and the adapted
// model saved in the project where the tracker lists it.
import { z } from 'zod'
import { method } from '../define'
import { cancelMethod, JobEventBase } from './jobs'
import { FilePath } from '../../project/names'

export const PythonInfo = z.object({ path: z.string(), torch: z.string() })

/** One clip of the project as adaptation sees it: ground-truth rows only (reviewed labels, in a project). */
export const AdaptClip = z.object({
  match: z.string(),
  clip: z.string(),
  video: z.string(),
  frames: z.number().int().nonnegative(),
  labelled: z.number().int().nonnegative(),
  visible: z.number().int().nonnegative(),
  invisible: z.number().int().nonnegative(),
  reviewed: z.number().int().nonnegative(),
  /** How this clip is held back from training to score it: the whole clip, its last part, or not at all. */
  heldBack: z.enum(['clip', 'time']).nullable(),
  heldFrom: z.number().int().nonnegative().nullable(),
  /** Rows trained on and held back. */
  train: z.number().int().nonnegative(),
  held: z.number().int().nonnegative(),
  /** Rows of the CSV skipped as unreadable, and labels that are not ground truth (unreviewed model output). */
  badRows: z.number().int().nonnegative(),
  notByPeople: z.number().int().nonnegative()
})

export const AdaptSummary = z.object({
  root: z.string(),
  clips: z.array(AdaptClip),
  trainFrames: z.number().int().nonnegative(),
  heldFrames: z.number().int().nonnegative(),
  /** Why adaptation would be refused (too few labels…); null when it can run. */
  problem: z.string().nullable(),
  /** Clips left out, each with a sentence saying why. */
  skipped: z.array(
    z.object({
      match: z.string(),
      clip: z.string(),
      kind: z.enum(['no-video', 'no-labels', 'video', 'labels']),
      reason: z.string()
    })
  )
})

/** Why a frame is worth labelling next (suggest-frames.ts says how each is measured). */
export const SuggestReason = z.enum(['unsure', 'other-candidate', 'jump', 'rejected'])

export const Suggestion = z.object({
  clipId: z.string(),
  match: z.string(),
  clip: z.string(),
  frame: z.number().int().nonnegative(),
  reasons: z.array(SuggestReason).min(1),
  /** Higher: the model is less sure here (0..1). */
  score: z.number()
})

/** A run of a crashed or closed studio that left a checkpoint: Resume continues it. */
export const UnfinishedRun = z.object({
  jobId: z.string(),
  name: z.string(),
  base: z.string(),
  minutes: z.number(),
  startedAt: z.number()
})

/** [seconds into the run, value]: the points of the live chart. */
const Series = z.array(z.tuple([z.number(), z.number()]))

export const TrainingJob = JobEventBase.extend({
  /**
   * While running: preparing the manifest, training, stopping (Stop was asked: the best model so far is being
   * exported), saving (the model is moved into the project's models).
   */
  phase: z.enum(['preparing', 'training', 'stopping', 'saving']),
  projectDir: z.string(),
  runDir: z.string(),
  startedAt: z.number(),
  /** The model adapted from (its id or file name) and the adapted model's name. */
  base: z.string(),
  name: z.string(),
  minutes: z.number(),
  resumed: z.boolean(),
  trainFrames: z.number().int().nonnegative(),
  heldFrames: z.number().int().nonnegative(),
  step: z.number().int().nonnegative(),
  elapsedS: z.number().nonnegative(),
  budgetS: z.number().nonnegative(),
  loss: z.number().nullable(),
  /** The base model's F1 on the held-back frames, and the adapted one's (latest and best) on the same frames. */
  f1Before: z.number().nullable(),
  f1: z.number().nullable(),
  bestF1: z.number().nullable(),
  losses: Series,
  evals: Series,
  /** The adapted model once saved: its file in <project>/.studio/models and the id track.start takes. */
  modelPath: z.string().nullable(),
  modelId: z.string().nullable(),
  /** True when Stop ended it (the best model so far was still saved). */
  stopped: z.boolean(),
  message: z.string().nullable()
})

/** A model name: one file name, letters, digits, dot, dash and underscore, not starting with a dot. */
const ModelName = z
  .string()
  .regex(
    /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,79}$/,
    'a model name is letters, digits, ".", "-" and "_" (80 at most)'
  )
  .refine((n) => !n.toLowerCase().endsWith('.onnx') && !n.toLowerCase().endsWith('.pt'), 'give the name only')

export const trainingMethods = {
  /** Which Python with PyTorch would run training, or why there is none; the current job; resumable runs. */
  'training.status': method(
    z.object({}),
    z.object({
      python: PythonInfo.nullable(),
      problem: z.string().nullable(),
      job: TrainingJob.nullable(),
      unfinished: z.array(UnfinishedRun)
    })
  ),
  /** What adaptation would train on and hold back in the open project, per clip. */
  'training.summary': method(z.object({}), AdaptSummary),
  /**
   * "Label these next": frames of the open project's clips where the model's track (the given model's, else
   * the latest track of each clip) is least sure or disagrees with itself, spread over the clips.
   */
  'training.suggest': method(
    z.object({
      model: FilePath('give a model').optional(),
      max: z.number().int().min(1).max(100).default(30)
    }),
    z.object({
      frames: z.array(Suggestion),
      tracked: z.number().int().nonnegative(),
      note: z.string().nullable()
    })
  ),
  /**
   * Adapts a model (default the bundled mmfnet-small; it needs its PyTorch sibling, <name>.pt) to the open
   * project's labels for a time budget; the result goes to <project>/.studio/models/<name>.onnx (+ .pt).
   */
  'training.start': method(
    z.object({
      minutes: z
        .number()
        .positive()
        .max(24 * 60),
      base: FilePath('give a model').optional(),
      name: ModelName.optional(),
      maxFrames: z.number().int().positive().optional()
    }),
    TrainingJob
  ),
  /** Continues an unfinished run from its last checkpoint. */
  'training.resume': method(z.object({ jobId: z.string().regex(/^adapt-[a-z0-9-]+$/) }), TrainingJob),
  /** Forgets an unfinished run (its folder is removed). */
  'training.discard': method(
    z.object({ jobId: z.string().regex(/^adapt-[a-z0-9-]+$/) }),
    z.object({ discarded: z.boolean() })
  ),
  /** Stop: answers at once; the best model so far is still exported and saved (the job ends cancelled). */
  'training.cancel': cancelMethod()
} as const

export const trainingEvents = {
  'training.update': TrainingJob
} as const
