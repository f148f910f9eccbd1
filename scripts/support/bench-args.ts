// Runs in plain Node (scripts/bench-track.ts): the benchmark's folders and its command line.
import path from 'node:path'
import { isProviderChoice, type ProviderChoice } from '../../src/backend/tracking/providers'

export const ROOT = path.resolve(__dirname, '..', '..')
/** Where the benchmark keeps its clips, models and caches between runs. */
export const DIR = path.join(ROOT, '.tmp', 'bench-track')

export interface Args {
  model?: string
  val: string
  /** Clip lengths: every length gives a 720p and a 1080p row. */
  frames: number[]
  batch: number
  provider: ProviderChoice
  long: boolean
  minutes: number
  spin: boolean
  decoderThreads?: number
  /** onnxruntime sessions (inference-pool.ts); default the tracker's. */
  workers?: number
  speedOnly: boolean
  /** --long on a synthetic 1080p60 broadcast (the generator) instead of a 360p test pattern. */
  synth: boolean
  /** Every row with the model's windows side by side, as `track --fast` runs them. */
  fast: boolean
  /** End-to-end and model-only runs per clip, alternating; the row gives their medians (noisy machines). */
  repeats: number
}

export function parseArgs(argv: string[]): Args {
  const a: Args = {
    val: path.resolve(ROOT, '..', 'shared', 'data', 'real', 'val'),
    frames: [300, 2000],
    batch: 2,
    provider: 'auto',
    long: false,
    minutes: 30,
    spin: false,
    speedOnly: false,
    synth: false,
    fast: false,
    repeats: 3
  }
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]
    const v = (): string => {
      const x = argv[++i]
      if (x === undefined) throw new Error(`${k} needs a value`)
      return x
    }
    if (k === '--model') a.model = v()
    else if (k === '--val') a.val = path.resolve(v())
    else if (k === '--frames') {
      a.frames = v().split(',').map(Number)
      if (!a.frames.every((n) => Number.isInteger(n) && n >= 8))
        throw new Error('--frames takes clip lengths of at least 8 frames, comma-separated')
    } else if (k === '--batch') a.batch = Number(v())
    else if (k === '--minutes') a.minutes = Number(v())
    else if (k === '--long') a.long = true
    else if (k === '--spin') a.spin = v() === '1'
    else if (k === '--speed-only') a.speedOnly = true
    else if (k === '--synth') a.synth = true
    else if (k === '--fast') a.fast = true
    else if (k === '--repeats') {
      a.repeats = Number(v())
      if (!Number.isInteger(a.repeats) || a.repeats < 1) throw new Error('--repeats takes a whole number ≥ 1')
    } else if (k === '--decoder-threads') a.decoderThreads = Number(v())
    else if (k === '--workers') {
      a.workers = Number(v())
      if (!Number.isInteger(a.workers) || a.workers < 1) throw new Error('--workers takes a whole number ≥ 1')
    } else if (k === '--provider') {
      const p = v()
      if (!isProviderChoice(p)) throw new Error(`--provider ${p}?`)
      a.provider = p
    } else throw new Error(`unknown option ${k}`)
  }
  return a
}
