// Runs in plain Node (scripts/bench-track.ts): the int8 sibling of the model (<stem>.int8.onnx) against fp32,
// model-only and back to back on the CPU, with its val F1.
import type { LoadedModel } from '../../src/backend/tracking'
import { findInt8Sibling } from '../../src/backend/tracking/precision-choice'
import type { Args } from './bench-args'
import { f1 } from './bench-measure'
import { modelOnlyFps } from './bench-model-fps'

/** The table's int8 line; `valF1` scores a model on the val set (passed in: the entry owns the F1 run). */
export async function compareInt8(
  model: LoadedModel,
  a: Args,
  valF1: (m: LoadedModel) => Promise<string>
): Promise<string> {
  const int8 = await findInt8Sibling(model)
  if (typeof int8 === 'string') return `skipped (${int8})`
  // Back to back on the CPU, the only provider the app runs int8 on.
  const fp = await modelOnlyFps(model, a.batch, 'cpu', a.spin, { workers: a.workers })
  const q = await modelOnlyFps(int8, a.batch, 'cpu', a.spin, { workers: a.workers })
  const qVal = a.speedOnly ? '' : `; val ${await valF1(int8)}`
  return `${f1(q.fps)} fps model-only vs ${f1(fp.fps)} fp32 (CPU, batch ${a.batch})${qVal}`
}
