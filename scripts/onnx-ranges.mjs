#!/usr/bin/env node
// Runs in Node (developer machine, CI; called by training/shuttle_training/quantize.py). Calibration for int8:
// runs an ONNX model whose intermediate tensors were added as graph outputs through onnxruntime-node (the
// runtime the app uses) on a file of input windows, one window at a time, and prints the smallest and largest
// value each output took, so only a few numbers per tensor cross back instead of whole activation maps.
// With --percentile P each window gives its P-th and (100-P)-th percentile instead (from an even sample of up
// to 65,536 of the tensor's values), and the range is their mean over the windows: a few outlying pixels of
// one window then no longer stretch the range, and so the step, that every other value is quantized with.
//   node scripts/onnx-ranges.mjs MODEL --input x.bin --dims x.json [--threads 2] [--percentile 99.99]
//   x.bin = raw float32 little-endian [N,C,H,W], x.json = {"dims":[N,C,H,W]}
//   prints one JSON line: {"ranges": {"<tensor>": [min, max], ...}, "windows": N}
import { closeSync, openSync, readFileSync, readSync } from 'node:fs'
import ort from 'onnxruntime-node'

function parseArgs(argv) {
  const a = { threads: 2 }
  const rest = []
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--')) a[argv[i].slice(2)] = argv[++i]
    else rest.push(argv[i])
  }
  const percentile = a.percentile === undefined ? null : Number(a.percentile)
  if (
    rest.length !== 1 ||
    !a.input ||
    !a.dims ||
    (percentile !== null && !(percentile > 50 && percentile <= 100))
  ) {
    console.error(
      'usage: onnx-ranges.mjs MODEL --input X.bin --dims X.json [--threads 2] [--percentile 50<P<=100]'
    )
    process.exit(2)
  }
  return { model: rest[0], input: a.input, dims: a.dims, threads: Number(a.threads), percentile }
}

const SAMPLE = 65536

/** [lowest, highest] of a tensor's values, or its (100-p)-th and p-th percentile of an even sample. */
function valueRange(data, p) {
  if (p === null || p === 100) {
    let lo = Infinity
    let hi = -Infinity
    for (const v of data) {
      if (v < lo) lo = v
      if (v > hi) hi = v
    }
    return [lo, hi]
  }
  const step = Math.max(1, Math.floor(data.length / SAMPLE))
  const sample = new Float32Array(Math.ceil(data.length / step))
  for (let i = 0, k = 0; i < data.length; i += step) sample[k++] = data[i]
  sample.sort()
  const at = (q) =>
    sample[Math.min(sample.length - 1, Math.max(0, Math.round((q / 100) * (sample.length - 1))))]
  return [at(100 - p), at(p)]
}

async function main() {
  const a = parseArgs(process.argv.slice(2))
  const dims = JSON.parse(readFileSync(a.dims, 'utf8')).dims
  // Basic optimisation only: 'all' may fuse a node whose output was asked for into one that hides it.
  const session = await ort.InferenceSession.create(a.model, {
    executionProviders: ['cpu'],
    intraOpNumThreads: a.threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'basic'
  })
  const per = dims.slice(1).reduce((p, q) => p * q, 1)
  const ranges = {}
  const fd = openSync(a.input, 'r')
  try {
    for (let n = 0; n < dims[0]; n++) {
      const bytes = Buffer.alloc(per * 4)
      readSync(fd, bytes, 0, bytes.length, n * per * 4)
      const data = new Float32Array(bytes.buffer, bytes.byteOffset, per)
      const out = await session.run({
        [session.inputNames[0]]: new ort.Tensor('float32', data, [1, ...dims.slice(1)])
      })
      for (const [name, t] of Object.entries(out)) {
        const [lo, hi] = valueRange(t.data, a.percentile)
        if (a.percentile === null) {
          const r = ranges[name] ?? [Infinity, -Infinity]
          ranges[name] = [Math.min(r[0], lo), Math.max(r[1], hi)]
        } else {
          const r = ranges[name] ?? [0, 0]
          ranges[name] = [r[0] + lo / dims[0], r[1] + hi / dims[0]] // the mean over the windows
        }
      }
    }
  } finally {
    closeSync(fd)
  }
  console.log(JSON.stringify({ ranges, windows: dims[0] }))
}

main().catch((e) => {
  console.error(`onnx-ranges: ${e.message}`)
  process.exit(1)
})
