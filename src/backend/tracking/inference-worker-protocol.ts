// Runs in the backend (plain Node): the messages between the inference client and its worker thread
// (inference-worker.ts), as types only, so the worker imports nothing at run time but Node's own modules.
import type { ProviderName } from './providers'
import type { ValueInfo } from './model-spec'

/** What the worker is started with (Worker's workerData). */
export interface InferenceWorkerData {
  /** onnxruntime-node's main file, resolved by the client: packaged, it lies outside the asar archive. */
  ortPath: string
  modelPath: string
  /** Tried in this order; the first that loads the model runs it. */
  providers: ProviderName[]
  threads: number
  spin: boolean
}

export type ToWorker =
  /**
   * One batch; `data` is transferred and comes back with its result, to be reused. `output`, when given, is a
   * spare result buffer (transferred too): the heatmaps are copied into it when it has their size, so neither
   * thread allocates a new one per batch (megabytes each, which kept both threads' garbage collectors busy).
   */
  | { type: 'run'; id: number; data: Float32Array; dims: number[]; output?: Float32Array }
  /**
   * Runs not yet begun are answered with an error, the one running finishes, the session is released and the
   * thread exits by itself.
   */
  | { type: 'close' }

export type FromWorker =
  | {
      type: 'ready'
      provider: string
      tried: { provider: string; error: string }[]
      inputs: ValueInfo[]
      outputs: ValueInfo[]
    }
  | { type: 'failed'; message: string; tried: { provider: string; error: string }[] }
  /** A GPU run failed and the CPU took over. */
  | { type: 'provider'; provider: string; reason: string }
  | { type: 'result'; id: number; data: Float32Array; dims: number[]; input: Float32Array }
  | { type: 'error'; id: number; message: string }
