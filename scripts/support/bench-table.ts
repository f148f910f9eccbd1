// Runs in plain Node (scripts/bench-track.ts): prints the benchmark's markdown report.
import os from 'node:os'
import type { LoadedModel } from '../../src/backend/tracking'
import { defaultDecoderThreads } from '../../src/backend/tracking'
import type { Args } from './bench-args'

export interface BenchReport {
  model: LoadedModel
  note: string
  provider: string
  /** One markdown row per clip size. */
  rows: string[]
  val: string
  v3: string
  int8Row: string
}

export function printReport(a: Args, r: BenchReport): void {
  const s = r.model.spec
  console.log(`\n### Tracking benchmark — ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}\n`)
  console.log(
    `model: ${r.note}; ${s.arch}, ${s.framesIn} frames in${s.background ? ' + background' : ''}, ${s.width}×${s.height}, batch ${a.batch}; provider ${r.provider}; onnxruntime spinning ${a.spin ? 'on' : 'off'}; decoder threads while tracking ${a.decoderThreads ?? defaultDecoderThreads()}\n`
  )
  console.log(
    `Medians of ${a.repeats} alternating end-to-end and model-only runs per clip; each ratio within its pair.\n`
  )
  console.log(
    '| clip | end-to-end fps | pipeline fps | model-only fps | ratio e2e (target ≥ 0.9) | ratio pipeline | before the first window | CPU ms a frame, e2e / model only | decode-only fps | CPU-bound ratio | peak RSS |'
  )
  console.log('|---|---|---|---|---|---|---|---|---|---|---|')
  console.log(r.rows.join('\n'))
  console.log(`\n- val: ${r.val}`)
  console.log(`- TrackNetV3-size network: ${r.v3}`)
  console.log(`- int8 sibling: ${r.int8Row}`)
}
