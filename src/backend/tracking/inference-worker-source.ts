// Runs in the backend (plain Node): the source of the inference worker thread, as a string started with
// `new Worker(source, { eval: true })`. Why a string: onnxruntime-node's session.run() blocks the thread that
// calls it, so inference needs its own thread for decoding and post-processing to overlap it — and a string
// needs no separate bundle entry, so the same code runs from the electron-vite bundle, from tsx and in Vitest.
// Plain JavaScript on purpose (no TypeScript, no helpers a compiler could inject). Protocol:
//   in:  {type:'run', id, data: Float32Array (transferred), dims}   out: {type:'result', id, data, dims, input}
//   out at start: {type:'ready', provider, tried, inputs, outputs} or {type:'failed', message}
//   out when a GPU run fails and the CPU takes over: {type:'provider', provider, reason}
//   in:  {type:'close'}: runs not yet begun are answered {type:'error'}, the one running finishes, the session
//        is released and the thread exits by itself. Never terminate() this worker while a run may be in
//        progress: session.run() is native code on this thread, and cutting the thread off under it throws a
//        C++ exception nobody can catch ("terminate called after throwing an instance of 'Napi::Error'"),
//        which aborts the whole process.
export const INFERENCE_WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads')
const fs = require('node:fs')
const path = require('node:path')
const ort = require(workerData.ortPath)
const { modelPath, providers, threads, spin } = workerData
let session = null
let provider = 'cpu'
let closing = false

function valueInfo(names, metadata) {
  return names.map((name, i) => {
    const m = metadata && metadata[i]
    return m && m.isTensor ? { name, type: m.type, shape: Array.from(m.shape) } : { name }
  })
}

// CUDA needs onnxruntime-node's optional CUDA files beside its binding; without them the attempt would only
// fail with a long native log, so it is skipped with a reason a person can act on.
const binDir = path.join(path.dirname(workerData.ortPath), '..', 'bin', 'napi-v6', process.platform, process.arch)
function missingFiles(p) {
  if (p === 'cuda' && !fs.existsSync(path.join(binDir, 'libonnxruntime_providers_cuda.so'))) {
    return 'the CUDA files of onnxruntime-node are not installed'
  }
  return null
}

async function create(p) {
  const missing = missingFiles(p)
  if (missing) throw new Error(missing)
  return ort.InferenceSession.create(modelPath, {
    // Failed GPU attempts are reported by us, once, in words; the native log would only repeat them.
    logSeverityLevel: p === 'cpu' ? 2 : 4,
    executionProviders: [p],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    extra: { session: { intra_op: { allow_spinning: spin ? '1' : '0' } } }
  })
}

async function start() {
  const tried = []
  for (const p of providers) {
    try {
      session = await create(p)
      provider = p
      break
    } catch (e) {
      tried.push({ provider: p, error: String((e && e.message) || e).split('\n')[0] })
    }
  }
  if (!session) {
    parentPort.postMessage({ type: 'failed', message: tried.map((t) => t.provider + ': ' + t.error).join('; '), tried })
    return
  }
  parentPort.postMessage({
    type: 'ready',
    provider,
    tried,
    inputs: valueInfo(session.inputNames, session.inputMetadata),
    outputs: valueInfo(session.outputNames, session.outputMetadata)
  })
}

async function run(msg) {
  if (closing) throw new Error('inference was stopped')
  const feeds = { frames: new ort.Tensor('float32', msg.data, msg.dims) }
  let out
  try {
    out = (await session.run(feeds)).heatmaps
  } catch (e) {
    if (provider === 'cpu') throw e
    const reason = provider + ' failed while running (' + String((e && e.message) || e).split('\n')[0] + ')'
    session = await create('cpu')
    provider = 'cpu'
    parentPort.postMessage({ type: 'provider', provider, reason })
    out = (await session.run(feeds)).heatmaps
  }
  // A copy: the output may live in memory onnxruntime owns, which cannot be transferred.
  const data = new Float32Array(out.data)
  parentPort.postMessage({ type: 'result', id: msg.id, data, dims: Array.from(out.dims), input: msg.data }, [
    data.buffer,
    msg.data.buffer
  ])
}

// After the run in progress (and the start, when it is still loading): never while native code runs here.
async function close() {
  const s = session
  session = null
  if (s) await s.release().catch(() => undefined)
  process.exit(0)
}

let chain = start()
parentPort.on('message', (msg) => {
  if (msg.type === 'close') {
    closing = true
    chain = chain.catch(() => undefined).then(close)
    return
  }
  if (msg.type !== 'run') return
  chain = chain
    .then(() => run(msg))
    .catch((e) => parentPort.postMessage({ type: 'error', id: msg.id, message: String((e && e.message) || e) }))
})
`
