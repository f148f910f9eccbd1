// Runs in the backend (plain Node): the tracker's inference stage as one or more onnxruntime sessions, each in
// its own worker thread (inference-client.ts), sharing a track's batches in turn. On the CPU two sessions of
// half the threads each outrun one session of all of them: a session's threads meet at every layer, so one
// thread held up by ffmpeg or the preprocessing holds up both, and the int8 kernels split worse across
// threads. On 2 cores, the bundled model, 2 sessions × 1 thread against 1 × 2: model only +13 % / +6 % and
// end to end +19 % / +5 % (fp32, 720p / 1080p), the whole `track` +19–22 % (it then runs int8), for about
// 270 MiB more memory (training/RESULTS.md, session 23). A GPU runs one session.
import os from 'node:os'
import { InferenceClient, type InferenceOptions } from './inference-client'
import type { ModelSpec } from './model-spec'
import type { Inference } from './pipeline'

export interface PoolShape {
  /** Sessions, each in its own worker thread. */
  workers: number
  /** onnxruntime intra-op threads of each session. */
  threads: number
}

/**
 * How the CPU's threads are split: `threads` in all (default: every core) over `workers` sessions (default
 * 2 where there are 2 threads or more), each session getting an equal share, at least one.
 */
export function poolShape(o: { threads?: number; workers?: number } = {}): PoolShape {
  const total = o.threads ?? Math.max(1, os.availableParallelism())
  const workers = o.workers ?? Math.min(2, total)
  return { workers, threads: Math.max(1, Math.floor(total / workers)) }
}

export class InferencePool implements Inference {
  private next = 0

  private constructor(
    private readonly clients: InferenceClient[],
    private readonly threadsEach: number
  ) {}

  /**
   * Starts the sessions. The first one picks the provider (GPU first where asked and possible); when that
   * is a GPU the pool stays at that one session, else the others start on the CPU.
   */
  static async start(
    modelPath: string,
    spec: ModelSpec,
    opts: InferenceOptions & { workers?: number }
  ): Promise<InferencePool> {
    const shape = poolShape(opts)
    const first = await InferenceClient.start(modelPath, spec, { ...opts, threads: shape.threads })
    const clients = [first]
    try {
      if (first.provider === 'cpu')
        while (clients.length < shape.workers)
          clients.push(
            await InferenceClient.start(modelPath, spec, { ...opts, provider: 'cpu', threads: shape.threads })
          )
    } catch (e) {
      await Promise.all(clients.map((c) => c.close()))
      throw e
    }
    return new InferencePool(clients, shape.threads)
  }

  /** Sessions running; the pipeline keeps two batches in flight for each. */
  get size(): number {
    return this.clients.length
  }

  /**
   * The provider that runs, and why (the first session's; the others run on the same), and on the CPU how
   * its threads are shared: "cpu · 2 sessions × 1 thread", which the CLI's summary and the studio's tracking
   * status show, so a slow track on a busy or many-core machine can be read at a glance.
   */
  get providerNote(): string {
    const first = this.clients[0] as InferenceClient
    if (first.provider !== 'cpu') return first.providerNote
    return `${first.providerNote} · ${plural(this.clients.length, 'session')} × ${plural(this.threadsEach, 'thread')}`
  }

  /** One batch, to the sessions in turn (InferenceClient.run: buffers travel and come back). */
  run(
    input: Float32Array,
    dims: number[],
    output?: Float32Array
  ): Promise<{ data: Float32Array; input: Float32Array }> {
    const client = this.clients[this.next] as InferenceClient
    this.next = (this.next + 1) % this.clients.length
    return client.run(input, dims, output)
  }

  /** Stops every session the safe way (InferenceClient.close). */
  async close(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.close()))
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}
