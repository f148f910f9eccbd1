// Runs in the backend (plain Node): the tracker's inference stage — an onnxruntime session in its own worker
// thread (inference-worker-source.ts), fed batches of windows. Input buffers travel to the worker and come
// back with the result, so a small pool of them is reused and memory stays flat however long the video.
import os from 'node:os'
import path from 'node:path'
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import { INFERENCE_WORKER_SOURCE } from './inference-worker-source'
import { checkGraph, ModelProblem, type ModelSpec, type ValueInfo } from './model-spec'
import { providerOrder, providerReport, type ProviderChoice } from './providers'

export interface InferenceOptions {
  provider?: ProviderChoice
  /** onnxruntime intra-op threads; default: the machine's cores. */
  threads?: number
  /**
   * Let onnxruntime's idle intra-op threads spin while waiting for work. Off by default: spinning threads burn
   * the cores that ffmpeg and the preprocessing need between two batches, which costs more end to end than
   * the wake-up latency it saves (measured in scripts/bench-track.ts, --spin).
   */
  spin?: boolean
}

type FromWorker =
  | {
      type: 'ready'
      provider: string
      tried: { provider: string; error: string }[]
      inputs: ValueInfo[]
      outputs: ValueInfo[]
    }
  | { type: 'failed'; message: string }
  | { type: 'provider'; provider: string; reason: string }
  | { type: 'result'; id: number; data: Float32Array; dims: number[]; input: Float32Array }
  | { type: 'error'; id: number; message: string }

function ortPath(): string {
  const p = createRequire(__filename).resolve('onnxruntime-node')
  // Packaged: the native files are unpacked beside the asar archive (electron-builder.yml asarUnpack).
  return p.replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`)
}

export class InferenceClient {
  provider = 'cpu'
  /** Which provider runs and why (the fallbacks that failed first). */
  providerNote = 'cpu'
  private readonly pending = new Map<
    number,
    { resolve: (r: { data: Float32Array; input: Float32Array }) => void; reject: (e: Error) => void }
  >()
  private nextId = 1
  private dead: Error | null = null
  /** Resolves when the worker thread has ended, whyever it did. */
  private readonly exited: Promise<void>

  private constructor(private readonly worker: Worker) {
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()))
  }

  static async start(
    modelPath: string,
    spec: ModelSpec,
    opts: InferenceOptions = {}
  ): Promise<InferenceClient> {
    const worker = new Worker(INFERENCE_WORKER_SOURCE, {
      eval: true,
      workerData: {
        ortPath: ortPath(),
        modelPath,
        providers: providerOrder(opts.provider ?? 'auto'),
        threads: opts.threads ?? Math.max(1, os.availableParallelism()),
        spin: opts.spin ?? false
      }
    })
    const client = new InferenceClient(worker)
    const ready = await new Promise<Extract<FromWorker, { type: 'ready' }>>((resolve, reject) => {
      worker.once('error', reject)
      worker.once('exit', (code) => reject(new Error(`the inference worker stopped (exit code ${code})`)))
      worker.once('message', (m: FromWorker) => {
        if (m.type === 'ready') resolve(m)
        else if (m.type === 'failed')
          reject(new ModelProblem(`onnxruntime cannot load the model: ${m.message}`))
        else reject(new Error(`unexpected message ${m.type} from the inference worker`))
      })
    }).catch(async (e: unknown) => {
      await client.close()
      throw e
    })
    try {
      checkGraph(spec, ready.inputs, ready.outputs)
    } catch (e) {
      await client.close()
      throw e
    }
    client.provider = ready.provider
    client.providerNote = providerReport(ready.provider, ready.tried)
    worker.on('message', (m: FromWorker) => client.onMessage(m))
    worker.on('error', (e) => client.fail(e))
    worker.on('exit', () => client.fail(new Error('the inference worker stopped')))
    return client
  }

  /** Runs one batch; resolves with the heatmaps and hands the input buffer back for reuse. */
  run(input: Float32Array, dims: number[]): Promise<{ data: Float32Array; input: Float32Array }> {
    if (this.dead) return Promise.reject(this.dead)
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      this.worker.postMessage({ type: 'run', id, data: input, dims }, [input.buffer as ArrayBuffer])
    })
  }

  /**
   * Stops the worker the safe way: it lets the run in progress finish, answers the queued ones with an error,
   * releases the session and exits by itself. terminate() would cut the thread off inside onnxruntime's native
   * run, which aborts the whole process (see inference-worker-source.ts).
   */
  async close(): Promise<void> {
    this.dead ??= new Error('inference was stopped')
    this.worker.postMessage({ type: 'close' })
    await this.exited
  }

  private onMessage(m: FromWorker): void {
    if (m.type === 'provider') {
      this.provider = m.provider
      this.providerNote = `${m.provider} (${m.reason})`
      return
    }
    if (m.type !== 'result' && m.type !== 'error') return
    const p = this.pending.get(m.id)
    if (!p) return
    this.pending.delete(m.id)
    if (m.type === 'result') p.resolve({ data: m.data, input: m.input })
    else p.reject(new ModelProblem(`inference failed: ${m.message}`))
  }

  private fail(e: Error): void {
    this.dead ??= e
    for (const p of this.pending.values()) p.reject(this.dead)
    this.pending.clear()
  }
}
