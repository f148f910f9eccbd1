#!/usr/bin/env node
// Runs in Node (developer machine, CI; called by training/shuttle_training/parity.py). Runs an ONNX tracker
// model with onnxruntime-node, the runtime the app uses, for two jobs:
//   parity:  node scripts/onnx-run.mjs MODEL --input x.bin --dims x.json --output y.bin
//            x.bin = raw float32 little-endian, x.json = {"dims":[N,C,H,W]}; writes y.bin (float32 LE) and
//            y.bin.json = {"dims":[...]}.
//   speed:   node scripts/onnx-run.mjs MODEL --bench 50 [--threads 2] [--batch 1]
//            runs N forwards on a fixed input and prints the median ms per forward and output frames/s.
//            --spin 0 turns off onnxruntime's busy-waiting intra-op threads (better when the cores are shared).
// Always prints one JSON line to stdout with the model's metadata_props (custom metadata). onnxruntime-node
// does not expose custom metadata, so it is read from the ONNX protobuf directly (ModelProto field 14).
import { readFileSync, writeFileSync } from 'node:fs'
import ort from 'onnxruntime-node'

function parseArgs(argv) {
  const a = { threads: 2, batch: 1, bench: 0 }
  const rest = []
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]
    if (k.startsWith('--')) a[k.slice(2)] = argv[++i]
    else rest.push(k)
  }
  if (rest.length !== 1) {
    console.error(
      'usage: onnx-run.mjs MODEL [--input X.bin --dims X.json --output Y.bin] [--bench N] [--threads 2] [--batch 1]'
    )
    process.exit(2)
  }
  a.model = rest[0]
  for (const k of ['threads', 'batch', 'bench', 'spin']) a[k] = Number(a[k])
  return a
}

// Minimal protobuf reader: just enough to walk ModelProto's top level and read metadata_props entries.
function readVarint(buf, pos) {
  let result = 0n
  let shift = 0n
  for (;;) {
    const b = buf[pos++]
    result |= BigInt(b & 0x7f) << shift
    if (!(b & 0x80)) return [result, pos]
    shift += 7n
  }
}

function fields(buf, start, end, visit) {
  let pos = start
  while (pos < end) {
    let key
    ;[key, pos] = readVarint(buf, pos)
    const field = Number(key >> 3n)
    const wire = Number(key & 7n)
    if (wire === 0) [, pos] = readVarint(buf, pos)
    else if (wire === 1) pos += 8
    else if (wire === 5) pos += 4
    else if (wire === 2) {
      let len
      ;[len, pos] = readVarint(buf, pos)
      visit(field, pos, pos + Number(len))
      pos += Number(len)
    } else throw new Error(`unsupported protobuf wire type ${wire}`)
  }
}

export function readMetadata(path) {
  const buf = readFileSync(path)
  const meta = {}
  fields(buf, 0, buf.length, (field, s, e) => {
    if (field !== 14) return // ModelProto.metadata_props
    let key = ''
    let value = ''
    fields(buf, s, e, (f, s2, e2) => {
      if (f === 1) key = buf.toString('utf8', s2, e2)
      if (f === 2) value = buf.toString('utf8', s2, e2)
    })
    meta[key] = value
  })
  return meta
}

async function main() {
  const a = parseArgs(process.argv.slice(2))
  const metadata = readMetadata(a.model)
  const session = await ort.InferenceSession.create(a.model, {
    executionProviders: ['cpu'],
    intraOpNumThreads: a.threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all'
  })
  const inName = session.inputNames[0]
  const outName = session.outputNames[0]
  const report = { metadata, inputs: session.inputNames, outputs: session.outputNames }

  if (a.input) {
    const dims = JSON.parse(readFileSync(a.dims, 'utf8')).dims
    const raw = readFileSync(a.input)
    const data = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength))
    const out = (await session.run({ [inName]: new ort.Tensor('float32', data, dims) }))[outName]
    if (a.output) {
      writeFileSync(a.output, Buffer.from(out.data.buffer, out.data.byteOffset, out.data.byteLength))
      writeFileSync(`${a.output}.json`, JSON.stringify({ dims: out.dims }))
    }
    report.output_dims = out.dims
  }

  if (a.bench > 0) {
    const h = Number(metadata['shuttle.input_height'] || 288)
    const w = Number(metadata['shuttle.input_width'] || 512)
    const fin = Number(metadata['shuttle.frames_in'] || 3)
    const c = 3 * fin + (metadata['shuttle.background'] === 'true' ? 3 : 0)
    const dims = [a.batch, c, h, w]
    const data = new Float32Array(dims.reduce((p, q) => p * q, 1))
    for (let i = 0; i < data.length; i++) data[i] = 0.5 + 0.5 * Math.sin(i * 0.001) // fixed, deterministic
    const feeds = { [inName]: new ort.Tensor('float32', data, dims) }
    let fout = 0
    for (let i = 0; i < 3; i++) fout = (await session.run(feeds))[outName].dims[1] // warm-up
    const ms = []
    for (let i = 0; i < a.bench; i++) {
      const t = process.hrtime.bigint()
      await session.run(feeds)
      ms.push(Number(process.hrtime.bigint() - t) / 1e6)
    }
    ms.sort((x, y) => x - y)
    const median = ms[Math.floor(ms.length / 2)]
    report.bench = {
      runs: a.bench,
      threads: a.threads,
      batch: a.batch,
      input_dims: dims,
      median_ms: Number(median.toFixed(2)),
      min_ms: Number(ms[0].toFixed(2)),
      output_frames_per_s: Number(((fout * a.batch * 1000) / median).toFixed(2))
    }
  }
  console.log(JSON.stringify(report))
}

main().catch((e) => {
  console.error(`onnx-run: ${e.message}`)
  process.exit(1)
})
