#!/usr/bin/env node
// Runs in Node (developer machine, CI; called by training/shuttle_training/quantize.py). Calibration for int8:
// runs an ONNX model whose intermediate tensors were added as graph outputs through onnxruntime-node (the
// runtime the app uses) on a file of input windows, one window at a time, and prints the smallest and largest
// value each output took, so only a few numbers per tensor cross back instead of whole activation maps.
//   node scripts/onnx-ranges.mjs MODEL --input x.bin --dims x.json [--threads 2]
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
  if (rest.length !== 1 || !a.input || !a.dims) {
    console.error('usage: onnx-ranges.mjs MODEL --input X.bin --dims X.json [--threads 2]')
    process.exit(2)
  }
  return { model: rest[0], input: a.input, dims: a.dims, threads: Number(a.threads) }
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
        let lo = Infinity
        let hi = -Infinity
        for (const v of t.data) {
          if (v < lo) lo = v
          if (v > hi) hi = v
        }
        const r = ranges[name] ?? [Infinity, -Infinity]
        ranges[name] = [Math.min(r[0], lo), Math.max(r[1], hi)]
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
