// Runs in Node (Vitest): the job registry that every long job runs on (tracking, evaluation, training, dataset
// export) — its states, the cancel path, the crash path, keeping the last few finished jobs and the one
// throttle of progress events — checked once here for all of them, on a clock the test moves by hand.
import { describe, expect, it } from 'vitest'
import { JobRegistry, type Job, type JobContext } from '../../../src/backend/jobs/registry'

interface Counter {
  done: number
}

function registry(keepFinished = 2) {
  let clock = 1_000
  const events: { jobId: string; state: string; done: number; message: string | null }[] = []
  const jobs = new JobRegistry<Counter>({
    keepFinished,
    cancelledMessage: 'Cancelled; what was done is kept.',
    progressEveryMs: 250,
    now: () => clock,
    publish: (j: Readonly<Job<Counter>>) =>
      events.push({ jobId: j.jobId, state: j.state, done: j.data.done, message: j.message })
  })
  return { jobs, events, tick: (ms: number) => (clock += ms) }
}

/** Work that runs until the test lets it end: resolve it, fail it, or wait for its cancel. */
function controlled() {
  let ctx: JobContext<Counter> | null = null
  let finish: (v?: { message?: string }) => void = () => undefined
  let fail: (e: unknown) => void = () => undefined
  const work = (c: JobContext<Counter>) => {
    ctx = c
    return new Promise<{ message?: string } | void>((resolve, reject) => {
      finish = resolve
      fail = reject
      c.signal.addEventListener('abort', () => reject(new Error('aborted by the work itself')))
    })
  }
  return {
    work,
    ctx: () => ctx!,
    finish: (v?: { message?: string }) => finish(v),
    fail: (e: unknown) => fail(e)
  }
}

describe('job registry', () => {
  it('goes queued → running → done and sends each state change at once', async () => {
    const { jobs, events } = registry()
    const w = controlled()
    const job = jobs.start('a', { done: 0 }, w.work)
    expect(job.state).toBe('queued')
    w.ctx().running()
    w.ctx().job.data.done = 5
    w.finish({ message: 'all good' })
    await jobs.settled('a')
    expect(events.map((e) => e.state)).toEqual(['queued', 'running', 'done'])
    expect(events.at(-1)).toMatchObject({ done: 5, message: 'all good' })
    expect(jobs.get('a')?.finishedAt).not.toBeNull()
    expect(jobs.cancel('a')).toBe(false)
  })

  it('cancels: the work sees the signal, and whatever it throws then ends the job cancelled', async () => {
    const { jobs, events } = registry()
    const w = controlled()
    jobs.start('a', { done: 0 }, w.work, { state: 'running' })
    expect(jobs.cancel('a')).toBe(true)
    expect(w.ctx().signal.aborted).toBe(true)
    await jobs.settled('a')
    expect(jobs.get('a')).toMatchObject({ state: 'cancelled', message: 'Cancelled; what was done is kept.' })
    expect(events.at(-1)?.state).toBe('cancelled')
    expect(jobs.cancel('a')).toBe(false)
    expect(jobs.cancel('no-such-job')).toBe(false)
  })

  it('cancels a queued job before its work has begun', async () => {
    const { jobs } = registry()
    jobs.start('a', { done: 0 }, async (ctx) => {
      await Promise.resolve()
      if (ctx.signal.aborted) throw new Error('stopped early')
    })
    expect(jobs.cancel('a')).toBe(true)
    await jobs.settled('a')
    expect(jobs.get('a')?.state).toBe('cancelled')
  })

  it('lets work that winds down on a cancel say so, keeping its message', async () => {
    const { jobs } = registry()
    jobs.start('a', { done: 0 }, async (ctx) => {
      await new Promise((r) => ctx.signal.addEventListener('abort', r))
      return { cancelled: true, message: 'stopped; the last checkpoint was exported' }
    })
    jobs.cancel('a')
    await jobs.settled('a')
    expect(jobs.get('a')).toMatchObject({
      state: 'cancelled',
      message: 'stopped; the last checkpoint was exported'
    })
  })

  it('ends a crashing job as failed with its message, and keeps running others', async () => {
    const { jobs, events } = registry(5)
    const w = controlled()
    jobs.start('a', { done: 0 }, w.work)
    w.fail(new TypeError('cannot read the video'))
    jobs.start('sync', { done: 0 }, () => {
      throw new Error('thrown before any await')
    })
    jobs.start('odd', { done: 0 }, () => Promise.reject('not an Error'))
    await Promise.all(['a', 'sync', 'odd'].map((id) => jobs.settled(id)))
    expect(jobs.get('a')).toMatchObject({ state: 'failed', message: 'cannot read the video' })
    expect(jobs.get('sync')).toMatchObject({ state: 'failed', message: 'thrown before any await' })
    expect(jobs.get('odd')).toMatchObject({ state: 'failed', message: 'not an Error' })
    const after = jobs.start('b', { done: 0 }, async () => ({ message: 'fine' }))
    await jobs.settled('b')
    expect(after.state).toBe('done')
    expect(
      events
        .filter((e) => e.state === 'failed')
        .map((e) => e.jobId)
        .sort()
    ).toEqual(['a', 'odd', 'sync'])
  })

  it('survives a publish that throws at the end (a bug to see, not a dead backend)', async () => {
    let calls = 0
    const jobs = new JobRegistry<Counter>({
      keepFinished: 1,
      cancelledMessage: 'x',
      publish: () => {
        if (++calls > 1) throw new Error('does not fit the contract')
      }
    })
    const errors: unknown[][] = []
    const original = console.error
    console.error = (...a: unknown[]) => void errors.push(a)
    try {
      jobs.start('a', { done: 0 }, async () => undefined)
      await jobs.settled('a')
    } finally {
      console.error = original
    }
    expect(jobs.get('a')?.state).toBe('done')
    expect(String(errors[0]?.[0])).toMatch(/job a/)
  })

  it('sends progress at most once per interval; forced events and state changes always go', async () => {
    const { jobs, events, tick } = registry()
    const w = controlled()
    jobs.start('a', { done: 0 }, w.work, { state: 'running' })
    const ctx = w.ctx()
    for (let i = 1; i <= 10; i++) {
      ctx.job.data.done = i
      ctx.progress()
      tick(100)
    }
    ctx.job.data.done = 11
    ctx.progress({ force: true })
    w.finish()
    await jobs.settled('a')
    // The start at t=0 (forced); i=1..10 at t=0,100..900, each sent 250 ms or more after the last one sent:
    // i=4 (t=300), 7 (600), 10 (900); then the forced one and the end.
    expect(events.map((e) => e.done)).toEqual([0, 4, 7, 10, 11, 11])
    expect(events.at(-1)?.state).toBe('done')
  })

  it('keeps the last N finished jobs, never forgets a running one, and restarts an ended id', async () => {
    const { jobs, events } = registry(2)
    const running = controlled()
    jobs.start('long', { done: 0 }, running.work)
    for (const id of ['a', 'b', 'c']) {
      jobs.start(id, { done: 0 }, async () => undefined)
      await jobs.settled(id)
    }
    expect(jobs.get('a')).toBeUndefined()
    expect(jobs.get('b')?.state).toBe('done')
    expect(jobs.get('c')?.state).toBe('done')
    expect(jobs.get('long')?.state).toBe('queued')
    expect(jobs.active().map((j) => j.jobId)).toEqual(['long'])
    expect(() => jobs.start('long', { done: 0 }, running.work)).toThrow(/already running/)
    jobs.start('b', { done: 1 }, async () => undefined)
    await jobs.settled('b')
    expect(jobs.latest()?.jobId).toBe('b')
    expect(jobs.get('b')?.data.done).toBe(1)
    const settled = jobs.settled('long')
    jobs.dispose()
    await settled
    expect(events.at(-1)).toMatchObject({ jobId: 'long', state: 'cancelled' })
  })
})
