// Runs in the backend (plain Node): picks the model file that tracking runs — the fp32 model or its int8
// sibling — from the facts precision.ts decides on. The speed of both is measured once per machine and model
// pair (a few forwards each, alternated, in the inference worker) and kept in the cache folder, so only the
// first track on a machine pays for it. Never throws: anything wrong with the int8 model means fp32 runs,
// and the reason says why.
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { z } from 'zod'
import { writeFileAtomic } from '../fs/atomic-write'
import { InferenceClient } from './inference-client'
import { loadModel, type LoadedModel } from './model-catalog'
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

export interface Speed {
  fp32Ms: number
  int8Ms: number
}

export interface PrecisionOptions {
  choice?: PrecisionChoice
  provider?: ProviderChoice
  /** onnxruntime threads the track will use (the speed is measured with the same). */
  threads?: number
  cacheDir: string
  /** How to measure; default: measureSpeed. */
  measure?: (fp32: LoadedModel, int8: LoadedModel, threads: number) => Promise<Speed>
  /** Whether a GPU provider can start here; default: the CUDA files check, other GPUs assumed present. */
  gpuUsable?: (p: ProviderName) => boolean
}

export interface ChosenModel extends PrecisionDecision {
  model: LoadedModel
}

const ROUNDS = 5

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

/** Median ms per forward of both models, batch 1, CPU provider, measured alternately so load hits both. */
export async function measureSpeed(fp32: LoadedModel, int8: LoadedModel, threads: number): Promise<Speed> {
  const clients: InferenceClient[] = []
  try {
    for (const m of [fp32, int8])
      clients.push(await InferenceClient.start(m.path, m.spec, { provider: 'cpu', threads }))
    const dims = [1, fp32.spec.channels, fp32.spec.height, fp32.spec.width]
    const times = { fp32: [] as number[], int8: [] as number[] }
    let input: Float32Array = new Float32Array(dims.reduce((a, b) => a * b, 1))
    for (let i = 0; i < input.length; i++) input[i] = 0.5 + 0.5 * Math.sin(i * 0.001) // fixed, deterministic
    const [fp32Client, int8Client] = clients as [InferenceClient, InferenceClient]
    for (let round = -1; round < ROUNDS; round++) {
      for (const [client, list] of [
        [fp32Client, times.fp32],
        [int8Client, times.int8]
      ] as const) {
        const t = process.hrtime.bigint()
        input = (await client.run(input, dims)).input
        if (round >= 0) list.push(Number(process.hrtime.bigint() - t) / 1e6) // round -1 warms up
      }
    }
    const median = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN
    return { fp32Ms: median(times.fp32), int8Ms: median(times.int8) }
  } finally {
    await Promise.all(clients.map((c) => c.close()))
  }
}

const speedCache = z.record(
  z.string(),
  z.object({ fp32Ms: z.number().positive(), int8Ms: z.number().positive(), measuredAt: z.string() })
)

function cacheFile(cacheDir: string): string {
  return path.join(cacheDir, 'precision-speed.json')
}

function speedKey(fp32: LoadedModel, int8: LoadedModel, threads: number): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown cpu'
  const machine = `${cpu}|${os.cpus().length}|${process.platform}|${process.arch}|${threads}`
  return createHash('sha1').update(`${machine}|${fp32.hash}|${int8.hash}`).digest('hex')
}

async function readSpeeds(cacheDir: string): Promise<z.infer<typeof speedCache>> {
  try {
    const parsed = speedCache.safeParse(JSON.parse(await readFile(cacheFile(cacheDir), 'utf8')))
    return parsed.success ? parsed.data : {} // a damaged cache is measured again, not trusted
  } catch {
    return {}
  }
}

async function cachedSpeed(
  fp32: LoadedModel,
  int8: LoadedModel,
  threads: number,
  o: PrecisionOptions
): Promise<Speed> {
  const key = speedKey(fp32, int8, threads)
  const known = (await readSpeeds(o.cacheDir))[key]
  if (known) return known
  const speed = await (o.measure ?? measureSpeed)(fp32, int8, threads)
  const all = await readSpeeds(o.cacheDir)
  all[key] = { ...speed, measuredAt: new Date().toISOString() }
  await mkdir(o.cacheDir, { recursive: true })
  await writeFileAtomic(cacheFile(o.cacheDir), JSON.stringify(all, null, 2))
  return speed
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
  const threads = o.threads ?? Math.max(1, os.availableParallelism())
  const onCpu = cpuWillRun(o.provider ?? 'auto', o.gpuUsable ?? defaultGpuUsable)
  const wantsInt8 = choice === 'int8' || (choice === 'auto' && onCpu)
  const sibling = wantsInt8 ? await findInt8Sibling(model) : null
  let int8Problem = typeof sibling === 'string' ? sibling : null
  let speed: Speed | null = null
  if (sibling && typeof sibling !== 'string') {
    try {
      if (choice === 'auto') speed = await cachedSpeed(model, sibling, threads, o)
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
