// Runs in Node (a child process of cancel.test.ts, through tsx): one backend tracking a real clip with a real
// onnxruntime model, cancelled again and again — mid-run, and right after the start — then tracking the clip to
// the end. A line per step goes to stdout; a backend that dies takes this process with it, which is the point.
// usage: cancel-rounds.ts CACHE_DIR MODEL.onnx VIDEO ROUNDS
import { dispatch } from '../../../src/backend/rpc/dispatch'
import { createBackend } from '../../../src/backend/services'

const [cacheDir, model, video, rounds] = process.argv.slice(2) as [string, string, string, string]

// No top-level await: the repository's TypeScript runs as CommonJS under tsx.
async function main(): Promise<void> {
  const backend = await createBackend({ host: 'cli', version: 'test', cacheDir })
  let id = 0
  async function call(method: string, params: unknown): Promise<Record<string, unknown>> {
    const r = await dispatch(backend.handlers, { type: 'request', id: ++id, method, params })
    if (!r.ok) throw new Error(`${method}: ${r.error.code}: ${r.error.message}`)
    return r.result as Record<string, unknown>
  }

  type Progress = { jobId: string; state: string; done: number; total: number; phase?: string }
  /**
   * Resolves with the job's final progress event. Calls midway at the first chunk this run tracked itself (a
   * resumed run first replays what it had): the next batch is with the model by then.
   */
  function watch(midway: () => void): Promise<Progress> {
    let resumedFrom: number | null = null
    let fired = false
    return new Promise((resolve) => {
      const stop = backend.events.subscribe((m) => {
        const p = m.payload as Progress & { from?: number }
        if (m.event === 'track.progress' && p.state === 'running' && p.phase !== 'background')
          resumedFrom ??= p.done
        if (m.event === 'track.chunk' && !fired && resumedFrom !== null && p.from! >= resumedFrom) {
          fired = true
          midway()
        }
        if (m.event === 'track.progress' && ['done', 'failed', 'cancelled'].includes(p.state)) {
          stop()
          resolve(p)
        }
      })
    })
  }

  const params = { path: video, model, provider: 'cpu' as const }
  for (let i = 0; i < Number(rounds); i++) {
    let jobId = ''
    const end = watch(() => void call('track.cancel', { jobId }))
    jobId = (await call('track.start', params)).jobId as string
    const last = await end
    console.log(`mid-run ${i} ${last.state} ${last.done}`)

    const early = watch(() => undefined)
    const started = (await call('track.start', params)).jobId as string
    await call('track.cancel', { jobId: started })
    const lastEarly = await early
    console.log(`at-start ${i} ${lastEarly.state}`)
  }
  const final = watch(() => undefined)
  await call('track.start', params)
  const last = await final
  console.log(`final ${last.state} ${last.done} ${last.total}`)
  backend.dispose()
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
