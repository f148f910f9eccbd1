// Runs everywhere (shared): the training part of the API contract — fine-tune a model on the open project's
// labels with the Python training package, watch its progress, cancel it, and get the exported model.
import { z } from 'zod'
import { method } from '../define'
import { cancelMethod, JobEventBase } from './jobs'
import { FilePath } from '../../project/names'

export const PythonInfo = z.object({ path: z.string(), torch: z.string() })

export const TrainingJob = JobEventBase.extend({
  /** While running: training, then exporting the best checkpoint to ONNX (after a cancel too). */
  phase: z.enum(['training', 'exporting']),
  projectDir: z.string(),
  runDir: z.string(),
  startedAt: z.number(),
  step: z.number().int().nonnegative(),
  epoch: z.number().int().nonnegative(),
  loss: z.number().nullable(),
  valF1: z.number().nullable(),
  /** The exported ONNX model, once there is one. */
  modelPath: z.string().nullable(),
  message: z.string().nullable()
})

export const trainingMethods = {
  /** Which Python with PyTorch would run training, or why there is none; and the current job. */
  'training.status': method(
    z.object({}),
    z.object({ python: PythonInfo.nullable(), problem: z.string().nullable(), job: TrainingJob.nullable() })
  ),
  /**
   * Fine-tunes on a project folder (a TrackNet-layout dataset: the project's own labels). With two or more
   * matches the last one is held out for validation; with one, it validates on what it trains on (and says so).
   */
  'training.start': method(
    z.object({
      projectDir: FilePath('give the project folder'),
      minutes: z
        .number()
        .positive()
        .max(24 * 60),
      arch: z.enum(['mmfnet-tiny', 'mmfnet-small', 'mmfnet-full']).default('mmfnet-small'),
      /** A PyTorch checkpoint to start from (fine-tuning); the bundled default's when there is one. */
      initCheckpoint: FilePath('give a checkpoint file').optional()
    }),
    TrainingJob
  ),
  /** Stops the running job; the last checkpoint is kept and exported (the job ends cancelled, with its model). */
  'training.cancel': cancelMethod()
} as const

export const trainingEvents = {
  'training.update': TrainingJob
} as const
