// Runs everywhere (shared): what every long job of the contract has in common — tracking, evaluation,
// training and dataset export: one state vocabulary, one cancel method (`<domain>.cancel`) and the fields
// every job event starts with. What a job is doing while it runs is its event's `phase`, never a state.
import { z } from 'zod'
import { method } from '../define'

/** queued: accepted, not working yet; running: working; then it ends done, failed or cancelled. */
export const JobState = z.enum(['queued', 'running', 'done', 'failed', 'cancelled'])
export type JobStateName = z.infer<typeof JobState>

/** True while a job may still change: queued or running. */
export function isJobActive(state: JobStateName): boolean {
  return state === 'queued' || state === 'running'
}

/** `<domain>.cancel`: stops a job; cancelled is false when there is no such job or it has already ended. */
export const cancelMethod = () =>
  method(z.object({ jobId: z.string() }), z.object({ cancelled: z.boolean() }))

/** The fields every job event starts with; each domain's event extends it with its own progress. */
export const JobEventBase = z.object({ jobId: z.string(), state: JobState })
