// Runs in the backend (plain Node): the tracker's inference stage — an onnxruntime session in its own worker
// thread (inference-worker.ts), fed batches of windows. Input buffers travel to the worker and come
// back with the result, so a small pool of them is reused and memory stays flat however long the video.
import { existsSync, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import { RpcPeer } from '../../shared/api/rpc-peer'
import type { FromWorker, InferenceWorkerData } from './inference-worker-protocol'
import { checkGraph, ModelProblem, type ModelSpec } from './model-spec'
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

/** One batch for the model, and what comes back: the heatmaps, and the input buffer to reuse. */
interface Batch {
  input: Float32Array
  dims: number[]
  output?: Float32Array
}
interface BatchResult {
  data: Float32Array
  input: Float32Array
}

function ortPath(): string {
  const p = createRequire(__filename).resolve('onnxruntime-node')
  // Packaged: the native files are unpacked beside the asar archive (electron-builder.yml asarUnpack).
  return p.replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`)
}

/**
 * The worker's code, run with `eval: true`. Built, it is the bundle's own entry beside this code (in out/main,
 * or one folder up from the shared chunk this code lands in); it is read as text, which works from inside the
 * packaged asar archive too. From source (Vitest, the CLI under tsx) the TypeScript is loaded through tsx.
 */
function workerScript(): string {
  for (const dir of [__dirname, path.dirname(__dirname)]) {
    const built = path.join(dir, 'inference-worker.js')
    if (existsSync(built)) return readFileSync(built, 'utf8')
  }
  const source = path.join(__dirname, 'inference-worker.ts')
  if (!existsSync(source))
    throw new Error(`the inference worker is missing beside ${__dirname}: rebuild the studio`)
  const tsx = createRequire(__filename).resolve('tsx/cjs')
  return `require(${JSON.stringify(tsx)}); require(${JSON.stringify(source)})`
}

export class InferenceClient {
  provider = 'cpu'
  /** Which provider runs and why (the fallbacks that failed first). */
  providerNote = 'cpu'
  /** Batches sent to the worker and not yet answered; the worker answers each, in order, until it exits. */
  private readonly runs = new RpcPeer<Batch, BatchResult>()
  private dead: Error | null = null
  /** Resolves when the worker thread has ended, whyever it did. */
  private readonly exited: Promise<void>

  private constructor(private readonly worker: Worker) {
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()))
    // The input buffer travels to the worker (transferred, not copied) and comes back with the result.
    this.runs.connect((id, batch) => {
      const transfer = [batch.input.buffer as ArrayBuffer]
      if (batch.output) transfer.push(batch.output.buffer as ArrayBuffer)
      worker.postMessage(
        { type: 'run', id, data: batch.input, dims: batch.dims, output: batch.output },
        transfer
      )
    })
  }

  static async start(
    modelPath: string,
    spec: ModelSpec,
    opts: InferenceOptions = {}
  ): Promise<InferenceClient> {
    const workerData: InferenceWorkerData = {
      ortPath: ortPath(),
      modelPath,
      providers: providerOrder(opts.provider ?? 'auto'),
      threads: opts.threads ?? Math.max(1, os.availableParallelism()),
      spin: opts.spin ?? false
    }
    const worker = new Worker(workerScript(), { eval: true, workerData })
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

  /**
   * Runs one batch; resolves with the heatmaps and hands the input buffer back for reuse. `output` lends a
   * spare result buffer (one of an earlier result's `data`): the heatmaps come back in it when it has their
   * size. Both buffers travel to the worker: the caller must not touch them until the result is back.
   */
  run(input: Float32Array, dims: number[], output?: Float32Array): Promise<BatchResult> {
    if (this.dead) return Promise.reject(this.dead)
    return this.runs.request({ input, dims, output })
  }

  /**
   * Stops the worker the safe way: it lets the run in progress finish, answers the queued ones with an error,
   * releases the session and exits by itself. terminate() would cut the thread off inside onnxruntime's native
   * run, which aborts the whole process (see inference-worker.ts).
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
    if (m.type === 'result') this.runs.resolve(m.id, { data: m.data, input: m.input })
    else if (m.type === 'error') this.runs.reject(m.id, new ModelProblem(`inference failed: ${m.message}`))
  }

  private fail(e: Error): void {
    const dead = (this.dead ??= e)
    this.runs.close(() => dead)
  }
}
