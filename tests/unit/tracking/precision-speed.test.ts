// Runs in Node (Vitest): auto's speed measurement runs both models the way the track will — its batch and
// thread count reach onnxruntime — and the cached measurement is keyed by them and by the measuring scheme, so
// an entry measured another way (batch 1, before the scheme was in the key) is measured again, not trusted.
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { InferenceClient } from '../../../src/backend/tracking/inference-client'
import { loadModel, type LoadedModel } from '../../../src/backend/tracking/model-catalog'
import {
  chooseModelPrecision,
  measureSpeed,
  KEPT_MEASUREMENTS,
  SPEED_ROUNDS,
  SPEED_SCHEME,
  type RunShape,
  type Speed
} from '../../../src/backend/tracking/precision-choice'
import { cleanup, makeInt8Sibling, makeModel, modelToolsMissing } from './fixtures'

const noDirs = { bundled: null, user: null }
const missing = await modelToolsMissing()

/** The cache key of scheme 1 (batch 1 forwards, no scheme or batch in the key), as that code wrote it. */
function schemeOneKey(fp32: LoadedModel, int8: LoadedModel, threads: number): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown cpu'
  const machine = `${cpu}|${os.cpus().length}|${process.platform}|${process.arch}|${threads}`
  return createHash('sha1').update(`${machine}|${fp32.hash}|${int8.hash}`).digest('hex')
}

describe.skipIf(missing !== null)('the int8 speed measurement', () => {
  let dir = ''
  let fp32: LoadedModel
  let int8: LoadedModel

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'int8-speed-'))
    fp32 = await loadModel(await makeModel(dir, 'tiny'), noDirs)
    int8 = await loadModel(await makeInt8Sibling(dir, 'tiny'), noDirs)
  }, 120_000)
  afterAll(() => cleanup(dir))
  afterEach(() => vi.restoreAllMocks())

  it('runs every timed forward of both models with the batch it is given, in onnxruntime', async () => {
    const run = vi.spyOn(InferenceClient.prototype, 'run')
    const speed = await measureSpeed(fp32, int8, { batch: 3, threads: 1 })
    const batches = run.mock.calls.map(([, dims]) => dims[0])
    expect(batches.length).toBeGreaterThanOrEqual(2 * SPEED_ROUNDS)
    expect(new Set(batches)).toEqual(new Set([3]))
    expect(speed.fp32Ms).toBeGreaterThan(0)
    expect(speed.int8Ms).toBeGreaterThan(0)
  })

  it("measures with the track's batch and a session's threads, and keeps one entry per batch", async () => {
    const cacheDir = path.join(dir, 'cache-batch')
    const shapes: RunShape[] = []
    const measure = async (a: LoadedModel, b: LoadedModel, shape: RunShape): Promise<Speed> => {
      shapes.push(shape)
      return measureSpeed(a, b, shape) // the real measurement, watched
    }
    const o = { provider: 'cpu' as const, threads: 1, cacheDir, measure, busy: () => false }
    const r = await chooseModelPrecision(fp32, { ...o, batch: 3 })
    expect(r.reason).toMatch(/ms per window on this machine/)
    expect(shapes).toEqual([{ batch: 3, threads: 1 }])
    const cached = JSON.parse(await readFile(path.join(cacheDir, 'precision-speed.json'), 'utf8'))
    expect(Object.values(cached)).toEqual([
      expect.objectContaining({ scheme: SPEED_SCHEME, batch: 3, threads: 1 })
    ])
    // Measured again until KEPT_MEASUREMENTS are kept, then decided on them without measuring.
    for (let i = 1; i < KEPT_MEASUREMENTS + 2; i++) await chooseModelPrecision(fp32, { ...o, batch: 3 })
    expect(shapes).toHaveLength(KEPT_MEASUREMENTS)
    await chooseModelPrecision(fp32, { ...o, batch: 1 }) // another batch is another measurement
    expect(shapes[KEPT_MEASUREMENTS]).toEqual({ batch: 1, threads: 1 })
    await chooseModelPrecision(fp32, { provider: 'cpu', cacheDir, measure, busy: () => false }) // default batch
    // The default: the tracker's batch, and one session's share of every core (two sessions from 2 cores).
    expect(shapes[KEPT_MEASUREMENTS + 1]).toEqual({
      batch: 2,
      threads: Math.max(1, Math.floor(os.availableParallelism() / Math.min(2, os.availableParallelism())))
    })
    const kept = JSON.parse(await readFile(path.join(cacheDir, 'precision-speed.json'), 'utf8'))
    expect(Object.values(kept).map((e) => (e as { measurements: unknown[] }).measurements.length)).toEqual([
      KEPT_MEASUREMENTS,
      1,
      1
    ])
  })

  it('measures again over an entry of the older scheme instead of trusting it', async () => {
    const cacheDir = path.join(dir, 'cache-old')
    await mkdir(cacheDir, { recursive: true })
    const threads = 1
    // What scheme 1 cached on a 2-core CPU: batch-1 forwards where int8 looked faster.
    const old = { fp32Ms: 64, int8Ms: 49, measuredAt: '2026-01-01T00:00:00.000Z' }
    const file = path.join(cacheDir, 'precision-speed.json')
    await writeFile(file, JSON.stringify({ [schemeOneKey(fp32, int8, threads)]: old }))
    let measured = 0
    const measure = async (): Promise<Speed> => {
      measured++
      return { fp32Ms: 29.1, int8Ms: 29.0 } // the tracker's batch: no gain
    }
    const r = await chooseModelPrecision(fp32, {
      provider: 'cpu',
      threads,
      cacheDir,
      measure,
      busy: () => false
    })
    expect(measured).toBe(1)
    expect(r.precision).toBe('fp32')
    expect(r.reason).toContain('not faster')
    const entries = Object.values(JSON.parse(await readFile(file, 'utf8')))
    expect(entries).toEqual([
      expect.objectContaining({
        scheme: SPEED_SCHEME,
        measurements: [expect.objectContaining({ fp32Ms: 29.1, int8Ms: 29 })]
      })
    ])
  })
  it('decides on a measurement taken while the machine is busy, but does not keep it', async () => {
    const cacheDir = path.join(dir, 'cache-busy')
    let measured = 0
    let busy = true
    const measure = async (): Promise<Speed> => {
      measured++
      return busy ? { fp32Ms: 64, int8Ms: 54 } : { fp32Ms: 43, int8Ms: 44 } // one CPU, loaded then idle
    }
    const o = { provider: 'cpu' as const, threads: 1, cacheDir, measure, busy: () => busy }
    expect((await chooseModelPrecision(fp32, o)).precision).toBe('int8')
    expect(existsSync(path.join(cacheDir, 'precision-speed.json'))).toBe(false)
    busy = false
    expect((await chooseModelPrecision(fp32, o)).precision).toBe('fp32') // measured again, now kept
    for (let i = 1; i < KEPT_MEASUREMENTS + 2; i++)
      expect((await chooseModelPrecision(fp32, o)).precision).toBe('fp32')
    expect(measured).toBe(1 + KEPT_MEASUREMENTS)
  })

  it('follows the median of the kept measurements, so one unlucky moment does not decide for good', async () => {
    const cacheDir = path.join(dir, 'cache-median')
    // What one shared 2-core machine gave: a measurement right after heavy work, then two quiet ones.
    const moments: Speed[] = [
      { fp32Ms: 43, int8Ms: 44 },
      { fp32Ms: 37, int8Ms: 31 },
      { fp32Ms: 38, int8Ms: 30 }
    ]
    let measured = 0
    const measure = async (): Promise<Speed> => moments[measured++] as Speed
    const o = { provider: 'cpu' as const, threads: 1, cacheDir, measure, busy: () => false }
    const picks = []
    for (let i = 0; i < KEPT_MEASUREMENTS + 1; i++)
      picks.push((await chooseModelPrecision(fp32, o)).precision)
    // Two kept: medians 40 vs 37.5, not 10 % faster; three: 38 vs 31.
    expect(picks).toEqual(['fp32', 'fp32', 'int8', 'int8'])
    expect(measured).toBe(KEPT_MEASUREMENTS)
    // A damaged or foreign entry is measured again, never trusted.
    await writeFile(path.join(cacheDir, 'precision-speed.json'), '{"x": {"scheme": 3, "measurements": []}}')
    moments.push({ fp32Ms: 40, int8Ms: 30 })
    expect((await chooseModelPrecision(fp32, o)).precision).toBe('int8')
    expect(measured).toBe(KEPT_MEASUREMENTS + 1)
  })
})
