// Runs in the backend (plain Node): picks the model file that tracking runs — the fp32 model or its int8
// sibling — from the facts precision.ts decides on. The speed of both is measured as the track will run them
// (its batch and a session's share of the threads, forwards alternated in the inference worker) per machine,
// model pair, batch and threads, and kept in the cache folder: the first KEPT_MEASUREMENTS such tracks on a
// machine each pay for one, and the choice follows the median of those kept. Never throws: anything wrong with
// the int8 model means fp32 runs, and the reason says why.
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { z } from 'zod'
import { writeFileAtomic } from '../fs/atomic-write'
import { machineBusy } from '../machine-load'
import { InferenceClient } from './inference-client'
import { poolShape } from './inference-pool'
import { loadModel, type LoadedModel } from './model-catalog'
import { median } from '../../shared/median'
import {
  decidePrecision,
  int8SiblingName,
  isInt8Metadata,
  isPrecisionChoice,
  PRECISION_CHOICES,
  siblingMismatch,
  type PrecisionChoice,
  type PrecisionDecision
} from './precision'
import { cpuWillRun, type ProviderChoice, type ProviderName } from './providers'
import { DEFAULT_BATCH } from './track-video'

/** Median ms per window (a forward's time over its batch) of both models. */
export interface Speed {
  fp32Ms: number
  int8Ms: number
}

/** How the track will run the model, so how its speed is measured. */
export interface RunShape {
  /** Windows per model call. */
  batch: number
  /** onnxruntime intra-op threads of one session. */
  threads: number
}

export interface PrecisionOptions {
  choice?: PrecisionChoice
  provider?: ProviderChoice
  /** onnxruntime threads in all the track will use, and its sessions (inference-pool.ts poolShape): each
   *  model's speed is measured in one session with a session's share of the threads. */
  threads?: number
  workers?: number
  /** Windows per model call the track will use (the speed is measured with the same); default DEFAULT_BATCH. */
  batch?: number
  cacheDir: string
  /** How to measure; default: measureSpeed. */
  measure?: (fp32: LoadedModel, int8: LoadedModel, shape: RunShape) => Promise<Speed>
  /**
   * Whether the machine is busy now; default: its load average is at least its core count. A measurement
   * taken then decides this track but is not kept: other work slows the two models unequally (one 2-core CPU
   * measured int8 54 vs fp32 64 ms per window under load, 44 vs 43 idle), and the kept ones decide later
   * tracks.
   */
  busy?: () => boolean
  /** Whether a GPU provider can start here; default: the CUDA files check, other GPUs assumed present. */
  gpuUsable?: (p: ProviderName) => boolean
}

export interface ChosenModel extends PrecisionDecision {
  model: LoadedModel
}

/**
 * Timed forwards per model. Batch 1 and 5 forwards picked int8 on a 2-core CPU where the tracker's batch-2
 * forwards run both at the same speed; 15 alternated rounds keep the median steady under a neighbour's load.
 */
export const SPEED_ROUNDS = 15
const WARMUP_ROUNDS = 2
/**
 * How speeds in the cache were measured. Entries of another scheme are measured again, never trusted: scheme 1
 * (no version in the key) timed batch 1 whatever the track's batch; scheme 2 kept a single measurement.
 */
export const SPEED_SCHEME = 3
/**
 * Idle measurements kept per machine and model pair; the choice follows their median. One alone decided every
 * later track, and one taken at an unlucky moment on a shared 2-core machine (int8 44 vs fp32 43 ms per window,
 * minutes after back-to-back benchmarks had both models at 31 vs 37) kept int8 off for good. The first tracks
 * on a machine each measure once more until this many are kept.
 */
export const KEPT_MEASUREMENTS = 3

function cudaFilesInstalled(): boolean {
  try {
    const main = createRequire(__filename).resolve('onnxruntime-node')
    const bin = path.join(path.dirname(main), '..', 'bin', 'napi-v6', process.platform, process.arch)
    return existsSync(path.join(bin, 'libonnxruntime_providers_cuda.so'))
  } catch {
    return false
  }
}

const defaultGpuUsable = (p: ProviderName): boolean => (p === 'cuda' ? cudaFilesInstalled() : true)

/**
 * Median ms per window of both models run as the track runs them (its batch, its threads, CPU provider),
 * alternated round by round so a neighbour's load hits both alike. Throws when onnxruntime fails, or when a
 * model answers another number of windows than it was given (the batch must really reach the model).
 */
export async function measureSpeed(fp32: LoadedModel, int8: LoadedModel, shape: RunShape): Promise<Speed> {
  const clients: InferenceClient[] = []
  try {
    for (const m of [fp32, int8])
      clients.push(await InferenceClient.start(m.path, m.spec, { provider: 'cpu', threads: shape.threads }))
    const { channels, height, width, framesOut } = fp32.spec
    const dims = [shape.batch, channels, height, width]
    const times = { fp32: [] as number[], int8: [] as number[] }
    let input: Float32Array = new Float32Array(dims.reduce((a, b) => a * b, 1))
    for (let i = 0; i < input.length; i++) input[i] = 0.5 + 0.5 * Math.sin(i * 0.001) // fixed, deterministic
    const [fp32Client, int8Client] = clients as [InferenceClient, InferenceClient]
    for (let round = -WARMUP_ROUNDS; round < SPEED_ROUNDS; round++) {
      for (const [client, list] of [
        [fp32Client, times.fp32],
        [int8Client, times.int8]
      ] as const) {
        const t = process.hrtime.bigint()
        const out = await client.run(input, dims)
        const ms = Number(process.hrtime.bigint() - t) / 1e6
        input = out.input
        const windows = out.data.length / (framesOut * height * width)
        if (windows !== shape.batch)
          throw new Error(`the model answered ${windows} windows for a batch of ${shape.batch}`)
        if (round >= 0) list.push(ms / shape.batch) // the warm-up rounds are not timed
      }
    }
    return { fp32Ms: median(times.fp32), int8Ms: median(times.int8) }
  } finally {
    await Promise.all(clients.map((c) => c.close()))
  }
}

const measurement = z.object({
  fp32Ms: z.number().positive(),
  int8Ms: z.number().positive(),
  measuredAt: z.string()
})
const speedEntry = z.object({
  scheme: z.literal(SPEED_SCHEME),
  batch: z.number().int().positive(),
  threads: z.number().int().positive(),
  /** Oldest first, at most KEPT_MEASUREMENTS. */
  measurements: z.array(measurement).min(1).max(KEPT_MEASUREMENTS)
})
type SpeedEntry = z.infer<typeof speedEntry>

/** The median of each model's times over several measurements. */
function medianSpeed(speeds: readonly Speed[]): Speed {
  return { fp32Ms: median(speeds.map((s) => s.fp32Ms)), int8Ms: median(speeds.map((s) => s.int8Ms)) }
}

function cacheFile(cacheDir: string): string {
  return path.join(cacheDir, 'precision-speed.json')
}

function speedKey(fp32: LoadedModel, int8: LoadedModel, shape: RunShape): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown cpu'
  const machine = `${cpu}|${os.cpus().length}|${process.platform}|${process.arch}`
  const how = `scheme ${SPEED_SCHEME}|batch ${shape.batch}|threads ${shape.threads}`
  return createHash('sha1').update(`${machine}|${how}|${fp32.hash}|${int8.hash}`).digest('hex')
}

/** The cache's entries of this scheme; anything else in the file (older schemes, damage) is dropped. */
async function readSpeeds(cacheDir: string): Promise<Record<string, SpeedEntry>> {
  let raw: unknown
  try {
    raw = JSON.parse(await readFile(cacheFile(cacheDir), 'utf8'))
  } catch {
    return {}
  }
  const entries: Record<string, SpeedEntry> = {}
  if (raw && typeof raw === 'object' && !Array.isArray(raw))
    for (const [key, value] of Object.entries(raw)) {
      const parsed = speedEntry.safeParse(value)
      if (parsed.success) entries[key] = parsed.data
    }
  return entries
}

async function cachedSpeed(
  fp32: LoadedModel,
  int8: LoadedModel,
  shape: RunShape,
  o: PrecisionOptions
): Promise<Speed> {
  const key = speedKey(fp32, int8, shape)
  const kept = (await readSpeeds(o.cacheDir))[key]?.measurements ?? []
  if (kept.length >= KEPT_MEASUREMENTS) return medianSpeed(kept)
  const speed = await (o.measure ?? measureSpeed)(fp32, int8, shape)
  // Taken while the machine is busy, it counts for this track only (other work slows the models unequally).
  if ((o.busy ?? machineBusy)()) return medianSpeed([...kept, speed])
  const all = await readSpeeds(o.cacheDir)
  const measurements = [...(all[key]?.measurements ?? []), { ...speed, measuredAt: new Date().toISOString() }]
  all[key] = { scheme: SPEED_SCHEME, ...shape, measurements: measurements.slice(-KEPT_MEASUREMENTS) }
  await mkdir(o.cacheDir, { recursive: true })
  await writeFileAtomic(cacheFile(o.cacheDir), JSON.stringify(all, null, 2))
  return medianSpeed(measurements)
}

/** The int8 sibling of a model, or why there is none that can stand in for it. */
export async function findInt8Sibling(model: LoadedModel): Promise<LoadedModel | string> {
  const file = int8SiblingName(model.path)
  if (!existsSync(file)) return `${path.basename(file)} is missing`
  try {
    const int8 = await loadModel(file, { bundled: null, user: null })
    if (!isInt8Metadata(int8.metadata)) return `${path.basename(file)} has no shuttle.precision=int8`
    const mismatch = siblingMismatch(model.spec, int8.spec)
    return mismatch ? `${path.basename(file)}: ${mismatch}` : int8
  } catch (e) {
    return `${path.basename(file)}: ${(e as Error).message}`
  }
}

/**
 * What "no precision asked for" means: SHUTTLE_PRECISION (auto, fp32 or int8) where it is set, else auto. The
 * test suites set fp32, so a figure compared across runs never depends on a speed measured on a loaded machine.
 */
export function defaultPrecisionChoice(env: NodeJS.ProcessEnv = process.env): PrecisionChoice {
  const v = env.SHUTTLE_PRECISION
  if (v === undefined || v === '') return 'auto'
  if (!isPrecisionChoice(v))
    throw new RangeError(`SHUTTLE_PRECISION must be one of ${PRECISION_CHOICES.join(', ')}, not "${v}".`)
  return v
}

/** The model to run and why; the model itself when it is already int8 or has no usable sibling. */
export async function chooseModelPrecision(model: LoadedModel, o: PrecisionOptions): Promise<ChosenModel> {
  if (isInt8Metadata(model.metadata)) return { model, precision: 'int8', reason: 'the model file is int8' }
  const choice = o.choice ?? 'auto'
  const shape: RunShape = {
    batch: o.batch ?? DEFAULT_BATCH,
    threads: poolShape(o).threads
  }
  const onCpu = cpuWillRun(o.provider ?? 'auto', o.gpuUsable ?? defaultGpuUsable)
  const wantsInt8 = choice === 'int8' || (choice === 'auto' && onCpu)
  const sibling = wantsInt8 ? await findInt8Sibling(model) : null
  let int8Problem = typeof sibling === 'string' ? sibling : null
  let speed: Speed | null = null
  if (sibling && typeof sibling !== 'string') {
    try {
      if (choice === 'auto') speed = await cachedSpeed(model, sibling, shape, o)
      else
        await (
          await InferenceClient.start(sibling.path, sibling.spec, { provider: 'cpu', threads: 1 })
        ).close()
    } catch (e) {
      int8Problem = `onnxruntime cannot run it (${(e as Error).message.split('\n')[0]})`
    }
  }
  const decision = decidePrecision({ choice, onCpu, int8Problem, speed })
  const chosen = decision.precision === 'int8' && sibling && typeof sibling !== 'string' ? sibling : model
  return { ...decision, model: chosen }
}
