// Runs in Node (Vitest): the tracker's onnxruntime sessions (inference-pool.ts) with real onnxruntime on a
// known-answer model: how the threads are split, batches handed to the sessions in turn with every answer
// equal to one session's, and a whole track that comes out the same with one session or two.
import { mkdtemp } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { locateFfmpeg } from '../../../src/backend/ffmpeg/locate'
import { loadModel, trackVideo, type LoadedModel } from '../../../src/backend/tracking'
import { InferenceClient } from '../../../src/backend/tracking/inference-client'
import { InferencePool, poolShape } from '../../../src/backend/tracking/inference-pool'
import { cleanup, makeModel, makeSquareVideo, modelToolsMissing } from './fixtures'

const missing = await modelToolsMissing()

describe('poolShape', () => {
  it('splits the threads over two sessions where there are two or more, one session on one thread', () => {
    expect(poolShape({ threads: 1 })).toEqual({ workers: 1, threads: 1 })
    expect(poolShape({ threads: 2 })).toEqual({ workers: 2, threads: 1 })
    expect(poolShape({ threads: 3 })).toEqual({ workers: 2, threads: 1 })
    expect(poolShape({ threads: 8 })).toEqual({ workers: 2, threads: 4 })
    expect(poolShape({ threads: 4, workers: 1 })).toEqual({ workers: 1, threads: 4 })
    expect(poolShape({ threads: 2, workers: 4 })).toEqual({ workers: 4, threads: 1 })
    expect(poolShape().workers * poolShape().threads).toBeLessThanOrEqual(os.availableParallelism())
  })
})

describe.skipIf(missing !== null)('InferencePool (known-answer model)', () => {
  let dir = ''
  let model: LoadedModel
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'shuttle-pool-'))
    model = await loadModel(await makeModel(path.join(dir, 'models'), 'ka-s1', ['--window-stride', '1']), {
      bundled: null,
      user: null
    })
  })
  afterAll(() => cleanup(dir))

  /** Batch b: faint noise that differs from batch to batch, so an answer given to the wrong caller shows. */
  function batch(b: number): { input: Float32Array; dims: number[] } {
    const { channels, height, width } = model.spec
    const input = new Float32Array(2 * channels * height * width)
    for (let i = 0; i < input.length; i++) input[i] = 0.5 + 0.5 * Math.sin(i * 0.013 + b)
    return { input, dims: [2, channels, height, width] }
  }

  it('hands batches to its sessions in turn; every answer is the one a single session gives', async () => {
    const one = await InferenceClient.start(model.path, model.spec, { provider: 'cpu', threads: 1 })
    const expected: Float32Array[] = []
    try {
      for (let b = 0; b < 6; b++) expected.push((await one.run(batch(b).input, batch(b).dims)).data.slice())
    } finally {
      await one.close()
    }
    const run = vi.spyOn(InferenceClient.prototype, 'run')
    const pool = await InferencePool.start(model.path, model.spec, {
      provider: 'cpu',
      threads: 2,
      workers: 2
    })
    try {
      expect(pool.size).toBe(2)
      expect(pool.providerNote).toBe('cpu · 2 sessions × 1 thread')
      // All six in flight at once: each answer must come back to its own caller.
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, b) => pool.run(batch(b).input, batch(b).dims))
      )
      answers.forEach((a, b) => expect(a.data).toEqual(expected[b]))
      const sessions = run.mock.contexts.slice(-6)
      expect(new Set(sessions).size).toBe(2)
      for (let b = 2; b < 6; b++) expect(sessions[b]).toBe(sessions[b - 2])
    } finally {
      run.mockRestore()
      await pool.close()
    }
    await expect(pool.run(batch(0).input, batch(0).dims)).rejects.toThrow(/stopped/)
  })

  it('closes the sessions it started when a later one cannot start, and passes the failure on', async () => {
    const start = InferenceClient.start.bind(InferenceClient)
    const started: InferenceClient[] = []
    const spy = vi.spyOn(InferenceClient, 'start').mockImplementation(async (...args) => {
      if (started.length === 1) throw new Error('no memory for a second session')
      const c = await start(...args)
      started.push(c)
      return c
    })
    try {
      await expect(
        InferencePool.start(model.path, model.spec, { provider: 'cpu', threads: 2, workers: 2 })
      ).rejects.toThrow('no memory for a second session')
    } finally {
      spy.mockRestore()
    }
    expect(started).toHaveLength(1)
    await expect(started[0]!.run(batch(0).input, batch(0).dims)).rejects.toThrow(/stopped/)
  })

  it('tracks a video to the same detections with one session or two', async () => {
    const video = await makeSquareVideo(dir, 90)
    const ffmpeg = await locateFfmpeg()
    const track = (workers: number) =>
      trackVideo({
        video,
        model,
        ffmpeg,
        cacheDir: path.join(dir, `cache-${workers}`),
        provider: 'cpu',
        threads: 2,
        workers,
        noCache: true
      })
    const [one, two] = [await track(1), await track(2)]
    expect(one.windowsRun).toBe(88)
    expect(two.windowsRun).toBe(88)
    expect(two.detections).toEqual(one.detections)
    expect(one.detections.filter((d) => d.visible).length).toBeGreaterThan(80)
  })
})
