// Runs in the backend (plain Node): gets one clip's track for an evaluation through the tracking service — the
// same job, (video, model) cache and rectification as "Track" in the studio and `shuttle-studio track` — and
// waits for its end on the event bus, because a tracking job reports only through events.
import type { EventPayload, Params, Result } from '../../shared/api/contract'
import { ApiError } from '../../shared/api/errors'
import type { EventBus } from '../rpc/event-bus'

/** What the evaluation needs of the tracking service. */
export interface Tracker {
  start(p: Params<'track.start'>): Promise<Result<'track.start'>>
  cancel(p: Params<'track.cancel'>): Promise<Result<'track.cancel'>>
  result(p: Params<'track.result'>): Promise<Result<'track.result'>>
}

type Progress = EventPayload<'track.progress'>
export type TrackPoints = Result<'track.result'>['points']

const ENDED = new Set<Progress['state']>(['done', 'failed', 'cancelled'])

export function cancelledError(): ApiError {
  return new ApiError('cancelled', 'The evaluation was cancelled.')
}

export async function trackClip(
  tracker: Tracker,
  bus: EventBus,
  params: Params<'track.start'>,
  signal: AbortSignal,
  onProgress: (e: Progress) => void
): Promise<TrackPoints> {
  if (signal.aborted) throw cancelledError()
  let jobId: string | null = null
  // Events that arrive before start() answers are kept: the job's id is not known yet.
  const early: Progress[] = []
  let settle: (e: Progress) => void = () => undefined
  const ended = new Promise<Progress>((resolve) => (settle = resolve))
  const take = (e: Progress): void => {
    if (e.jobId !== jobId) return
    onProgress(e)
    if (ENDED.has(e.state)) settle(e)
  }
  const off = bus.subscribe((m) => {
    if (m.event !== 'track.progress') return
    const e = m.payload as Progress
    if (jobId === null) early.push(e)
    else take(e)
  })
  const stop = (): void => {
    if (jobId) void tracker.cancel({ jobId }).catch(() => undefined)
  }
  signal.addEventListener('abort', stop)
  try {
    jobId = (await tracker.start(params)).jobId
    for (const e of early.splice(0)) take(e)
    if (signal.aborted) stop()
    const end = await ended
    if (end.state === 'cancelled') {
      if (signal.aborted) throw cancelledError()
      throw new ApiError('cancelled', `Tracking ${params.path} was cancelled; run the evaluation again.`)
    }
    if (end.state === 'failed') {
      throw new ApiError('io', `Tracking ${params.path} failed: ${end.message ?? 'no reason given'}`)
    }
    const r = await tracker.result({ jobId })
    if (r.state !== 'done') throw new ApiError('internal', `Tracking ${params.path} ended as ${r.state}.`)
    return r.points
  } finally {
    off()
    signal.removeEventListener('abort', stop)
  }
}
