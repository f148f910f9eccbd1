// Runs in a worker thread of the backend (plain Node): one onnxruntime session, fed batches by
// inference-client.ts. Why a thread: onnxruntime-node's session.run() blocks the thread that calls it, so
// inference needs its own for decoding and post-processing to overlap it. Built as its own bundle entry
// (out/main/inference-worker.js) and run from source through tsx; the client starts it from its text, so
// it must import nothing at run time but Node's own modules (lint checks this), and onnxruntime comes from
// the path the client resolved. Messages: inference-worker-protocol.ts.
//
// Never terminate() this worker while a run may be in progress: session.run() is native code on this thread,
// and cutting the thread off under it throws a C++ exception nobody can catch ("terminate called after
// throwing an instance of 'Napi::Error'"), which aborts the whole process. 'close' is the safe way out.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { parentPort, workerData } from 'node:worker_threads'
import type * as Ort from 'onnxruntime-node'
import type { ValueInfo } from './model-spec'
import type { FromWorker, InferenceWorkerData, ToWorker } from './inference-worker-protocol'

const data = workerData as InferenceWorkerData
const port = parentPort!
const ort = createRequire(data.ortPath)(data.ortPath) as typeof Ort
let session: Ort.InferenceSession | null = null
let provider = 'cpu'
let closing = false

function post(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer)
}

function firstLine(e: unknown): string {
  return messageOf(e).split('\n')[0] ?? ''
}

function messageOf(e: unknown): string {
  return String((e instanceof Error && e.message) || e)
}

function valueInfo(
  names: readonly string[],
  metadata: readonly Ort.InferenceSession.ValueMetadata[] | undefined
): ValueInfo[] {
  return names.map((name, i) => {
    const m = metadata?.[i]
    return m?.isTensor ? { name, type: m.type, shape: Array.from(m.shape) } : { name }
  })
}

// CUDA needs onnxruntime-node's optional CUDA files beside its binding; without them the attempt would only
// fail with a long native log, so it is skipped with a reason a person can act on.
const binDir = path.join(path.dirname(data.ortPath), '..', 'bin', 'napi-v6', process.platform, process.arch)
function missingFiles(p: string): string | null {
  if (p === 'cuda' && !fs.existsSync(path.join(binDir, 'libonnxruntime_providers_cuda.so'))) {
    return 'the CUDA files of onnxruntime-node are not installed'
  }
  return null
}

async function create(p: string): Promise<Ort.InferenceSession> {
  const missing = missingFiles(p)
  if (missing) throw new Error(missing)
  return ort.InferenceSession.create(data.modelPath, {
    // Failed GPU attempts are reported by us, once, in words; the native log would only repeat them.
    logSeverityLevel: p === 'cpu' ? 2 : 4,
    executionProviders: [p],
    intraOpNumThreads: data.threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    extra: { session: { intra_op: { allow_spinning: data.spin ? '1' : '0' } } }
  })
}

async function start(): Promise<void> {
  const tried: { provider: string; error: string }[] = []
  for (const p of data.providers) {
    try {
      session = await create(p)
      provider = p
      break
    } catch (e) {
      tried.push({ provider: p, error: firstLine(e) })
    }
  }
  if (!session) {
    post({ type: 'failed', message: tried.map((t) => t.provider + ': ' + t.error).join('; '), tried })
    return
  }
  post({
    type: 'ready',
    provider,
    tried,
    inputs: valueInfo(session.inputNames, session.inputMetadata),
    outputs: valueInfo(session.outputNames, session.outputMetadata)
  })
}

async function heatmaps(s: Ort.InferenceSession, feeds: Ort.InferenceSession.FeedsType): Promise<Ort.Tensor> {
  const out = (await s.run(feeds)).heatmaps
  if (!out) throw new Error('the model gave no output named heatmaps')
  return out
}

async function run(msg: Extract<ToWorker, { type: 'run' }>): Promise<void> {
  if (closing || !session) throw new Error('inference was stopped')
  const feeds = { frames: new ort.Tensor('float32', msg.data, msg.dims) }
  let out: Ort.Tensor
  try {
    out = await heatmaps(session, feeds)
  } catch (e) {
    if (provider === 'cpu') throw e
    const reason = provider + ' failed while running (' + firstLine(e) + ')'
    session = await create('cpu')
    provider = 'cpu'
    post({ type: 'provider', provider, reason })
    out = await heatmaps(session, feeds)
  }
  // A copy: the output may live in memory onnxruntime owns, which cannot be transferred. Into the spare buffer
  // the client lent when it fits, else a new one.
  const heat = out.data as Float32Array
  const result = msg.output?.length === heat.length ? msg.output : new Float32Array(heat.length)
  result.set(heat)
  post({ type: 'result', id: msg.id, data: result, dims: Array.from(out.dims), input: msg.data }, [
    result.buffer as ArrayBuffer,
    msg.data.buffer as ArrayBuffer
  ])
}

// After the run in progress (and the start, when it is still loading): never while native code runs here.
async function close(): Promise<void> {
  const s = session
  session = null
  if (s) await s.release().catch(() => undefined)
  process.exit(0)
}

let chain = start()
port.on('message', (msg: ToWorker) => {
  if (msg.type === 'close') {
    closing = true
    chain = chain.catch(() => undefined).then(close)
    return
  }
  if (msg.type !== 'run') return
  chain = chain
    .then(() => run(msg))
    .catch((e: unknown) => post({ type: 'error', id: msg.id, message: messageOf(e) }))
})
