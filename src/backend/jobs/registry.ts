// Runs in the backend (plain Node): the one registry of long jobs — tracking, evaluation, training, dataset
// export. It owns what they all share: the job map, the AbortController behind `<domain>.cancel`, the states
// (queued → running → done | failed | cancelled), one throttle for progress events, and keeping the last few
// finished jobs for the result methods. A domain gives the work to run and how its job reads as an event.
import { isJobActive, type JobStateName } from '../../shared/api/methods/jobs'
import { Throttle } from './throttle'

export interface Job<D> {
  readonly jobId: string
  state: JobStateName
  readonly startedAt: number
  finishedAt: number | null
  /** What went wrong, why it stopped, or what to do next; null when there is nothing to say. */
  message: string | null
  /** The domain's own fields: its progress counters and its result. */
  data: D
}

export interface JobContext<D> {
  readonly job: Job<D>
  /** Aborted by `<domain>.cancel` and by dispose(). */
  readonly signal: AbortSignal
  /** queued → running, published at once (no-op when already running). */
  running(): void
  /** Publishes the job as it is now: at most once per throttle interval, unless forced. */
  progress(opts?: { force?: boolean }): void
}

/** How work ends when it returns: done, unless it says it was cancelled (it wound down on a cancel). */
export type JobOutcome = void | { message?: string | null; cancelled?: boolean }

export interface JobRegistryOptions<D> {
  /** Finished jobs kept for the result methods (the oldest are forgotten first). */
  keepFinished: number
  /** Sends the job's event: its state, message and data as they are now. */
  publish(job: Readonly<Job<D>>): void
  /** The message of a job cancelled while it was working: what was kept, what to do next. */
  cancelledMessage: string
  /** Progress events per job at most this often (state changes always go); default 250 ms. */
  progressEveryMs?: number
  now?: () => number
}

interface Entry<D> {
  job: Job<D>
  abort: AbortController
  settled: Promise<void>
}

export class JobRegistry<D> {
  private readonly entries = new Map<string, Entry<D>>()

  constructor(private readonly o: JobRegistryOptions<D>) {}

  /**
   * Registers a job, publishes it (queued, or running when asked) and runs `work` for it in the background.
   * Whatever the work throws ends the job as failed (or cancelled, once cancel was asked), never the backend.
   */
  start(
    jobId: string,
    data: D,
    work: (ctx: JobContext<D>) => Promise<JobOutcome>,
    opts: { state?: 'queued' | 'running'; message?: string | null } = {}
  ): Job<D> {
    if (this.isActive(jobId)) throw new Error(`job ${jobId} is already running`)
    const now = this.o.now ?? Date.now
    const job: Job<D> = {
      jobId,
      state: opts.state ?? 'queued',
      startedAt: now(),
      finishedAt: null,
      message: opts.message ?? null,
      data
    }
    const abort = new AbortController()
    const throttle = new Throttle(this.o.progressEveryMs ?? 250, now)
    const publish = (force: boolean): void => {
      if (throttle.ready(force)) this.o.publish(job)
    }
    const ctx: JobContext<D> = {
      job,
      signal: abort.signal,
      running: () => {
        if (job.state !== 'queued') return
        job.state = 'running'
        publish(true)
      },
      progress: (p) => publish(p?.force ?? false)
    }
    // Deleted first, so a restarted job counts as the newest for keepFinished.
    this.entries.delete(jobId)
    const entry: Entry<D> = { job, abort, settled: Promise.resolve() }
    this.entries.set(jobId, entry)
    this.forgetOld()
    publish(true)
    entry.settled = this.run(ctx, abort, work)
    return job
  }

  get(jobId: string): Job<D> | undefined {
    return this.entries.get(jobId)?.job
  }

  /** The most recently started job still known. */
  latest(): Job<D> | undefined {
    return [...this.entries.values()].at(-1)?.job
  }

  isActive(jobId: string): boolean {
    const job = this.get(jobId)
    return !!job && isJobActive(job.state)
  }

  active(): Job<D>[] {
    return [...this.entries.values()].map((e) => e.job).filter((j) => isJobActive(j.state))
  }

  /** Asks a queued or running job to stop; false when there is no such job or it has ended. */
  cancel(jobId: string): boolean {
    const e = this.entries.get(jobId)
    if (!e || !isJobActive(e.job.state)) return false
    e.abort.abort()
    return true
  }

  /** Resolves once the job has ended and its last event is sent (at once for an unknown job). */
  settled(jobId: string): Promise<void> {
    return this.entries.get(jobId)?.settled ?? Promise.resolve()
  }

  /** Stops every job (the backend is going away). */
  dispose(): void {
    for (const e of this.entries.values()) e.abort.abort()
  }

  private async run(
    ctx: JobContext<D>,
    abort: AbortController,
    work: (ctx: JobContext<D>) => Promise<JobOutcome>
  ): Promise<void> {
    const { job } = ctx
    try {
      const outcome = await work(ctx)
      job.state = outcome?.cancelled ? 'cancelled' : 'done'
      if (outcome?.message !== undefined) job.message = outcome.message
    } catch (e) {
      job.state = abort.signal.aborted ? 'cancelled' : 'failed'
      job.message = job.state === 'cancelled' ? this.o.cancelledMessage : ((e as Error)?.message ?? String(e))
    }
    job.finishedAt = (this.o.now ?? Date.now)()
    this.forgetOld()
    try {
      this.o.publish(job)
    } catch (e) {
      // An event that does not fit the contract is a bug to see, but it must not become an unhandled rejection.
      console.error(`job ${job.jobId}: its last event could not be sent:`, e)
    }
  }

  private forgetOld(): void {
    const finished = [...this.entries.values()].filter((e) => !isJobActive(e.job.state))
    for (const e of finished.slice(0, Math.max(0, finished.length - this.o.keepFinished)))
      this.entries.delete(e.job.jobId)
  }
}
