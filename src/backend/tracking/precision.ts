// Runs in the backend (plain Node): which precision of a tracker model runs — the fp32 model or its int8
// sibling (<stem>.int8.onnx, metadata shuttle.precision=int8, written by training/shuttle_training/quantize.py).
// Pure decisions only; precision-choice.ts gathers the facts (the sibling, the provider, a measured speed).
// int8 is a CPU optimisation: GPU providers run the fp32 model, and int8 runs only where it measured faster.
import type { ModelSpec } from './model-spec'

export const PRECISION_CHOICES = ['auto', 'fp32', 'int8'] as const
export type PrecisionChoice = (typeof PRECISION_CHOICES)[number]
export type Precision = Exclude<PrecisionChoice, 'auto'>

/** int8 must beat fp32 by this fraction of fp32's time: a tie or noise keeps the exact model. */
export const INT8_MARGIN = 0.1

export function isPrecisionChoice(v: unknown): v is PrecisionChoice {
  return typeof v === 'string' && (PRECISION_CHOICES as readonly string[]).includes(v)
}

/** The int8 sibling's file name of a model file: mmfnet-small.onnx -> mmfnet-small.int8.onnx. */
export function int8SiblingName(file: string): string {
  return file.replace(/\.onnx$/i, '') + '.int8.onnx'
}

export function isInt8Metadata(metadata: Record<string, string>): boolean {
  return metadata['shuttle.precision'] === 'int8'
}

/** Why an int8 sibling cannot stand in for its fp32 model, or null when it can (same input and output). */
export function siblingMismatch(fp32: ModelSpec, int8: ModelSpec): string | null {
  const keys = ['arch', 'framesIn', 'framesOut', 'height', 'width', 'background', 'output'] as const
  const differ = keys.filter((k) => fp32[k] !== int8[k])
  return differ.length ? `its ${differ.join(', ')} differ from the fp32 model's` : null
}

export interface PrecisionFacts {
  choice: PrecisionChoice
  /** Whether the CPU provider will run the model (no GPU provider in the way). */
  onCpu: boolean
  /** Why the int8 sibling cannot be used (missing, unreadable, not matching), or null when it can. */
  int8Problem: string | null
  /** Median ms per forward on this machine, measured side by side; null when not measured. */
  speed: { fp32Ms: number; int8Ms: number } | null
}

export interface PrecisionDecision {
  precision: Precision
  reason: string
}

/** The precision to run, and why, in words for the track summary and the studio's tracking panel. */
export function decidePrecision(f: PrecisionFacts): PrecisionDecision {
  if (f.choice === 'fp32') return { precision: 'fp32', reason: 'fp32 chosen' }
  if (f.int8Problem) {
    const asked = f.choice === 'int8' ? 'int8 was asked for but ' : ''
    return { precision: 'fp32', reason: `${asked}the int8 model cannot be used: ${f.int8Problem}` }
  }
  if (f.choice === 'int8') return { precision: 'int8', reason: 'int8 chosen' }
  if (!f.onCpu) return { precision: 'fp32', reason: 'GPU providers run the fp32 model' }
  if (!f.speed) return { precision: 'fp32', reason: 'the int8 speed could not be measured here' }
  const { fp32Ms, int8Ms } = f.speed
  const ratio = `${fmt(int8Ms)} vs ${fmt(fp32Ms)} ms per window on this machine`
  if (int8Ms < fp32Ms * (1 - INT8_MARGIN)) return { precision: 'int8', reason: `faster here: ${ratio}` }
  return { precision: 'fp32', reason: `int8 is not faster here by ${INT8_MARGIN * 100}%: ${ratio}` }
}

function fmt(ms: number): string {
  return ms >= 10 ? ms.toFixed(0) : ms.toFixed(1)
}
