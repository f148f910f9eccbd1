// Runs in Node (Vitest): the tracking store against a real backend (loopback transport, real ffmpeg and
// onnxruntime): the model list, a job's progress and chunks arriving on the frames, the rectified result, and
// a model that cannot be used. Needs /usr/bin/python3 with `onnx` for the known-answer model; skips without.
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { createPinia, setActivePinia } from 'pinia'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createBackend, type Backend } from '../../../backend/services'
import { LoopbackTransport } from '../../../../tests/unit/support/loopback'
import {
  expectedCentre,
  makeModel,
  makeSquareVideo,
  modelToolsMissing
} from '../../../../tests/unit/tracking/fixtures'
import { StudioClient } from '../api/client'
import { provideClient } from './client'
import { useTrackingStore, type SettingsStorage } from './tracking'

const missing = await modelToolsMissing()
if (missing) console.warn(`tracking store tests skipped: ${missing}`)

async function until(check: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** Runs `body` with an in-memory localStorage, as the app's settings live in (one per call: nothing carries over). */
async function withSettings(body: () => Promise<void>): Promise<void> {
  const saved = new Map<string, string>()
  const g = globalThis as { localStorage?: SettingsStorage }
  g.localStorage = {
    getItem: (k: string) => saved.get(k) ?? null,
    setItem: (k: string, v: string) => void saved.set(k, v)
  }
  try {
    await body()
  } finally {
    delete g.localStorage
  }
}

describe.skipIf(missing !== null)('tracking store', () => {
  let dir: string
  let backend: Backend
  let video: string

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tracking-store-'))
    const cacheDir = path.join(dir, 'cache')
    await mkdir(path.join(cacheDir, 'models'), { recursive: true })
    await copyFile(await makeModel(dir, 'ka'), path.join(cacheDir, 'models', 'ka.onnx'))
    // Evaluated with overlapping windows; at stride 3 its threshold is above the square's peak (0.99995).
    const strict = await makeModel(dir, 'ka-s1-strict', [
      '--window-stride',
      '1',
      '--thresholds-by-stride',
      '3:0.999999'
    ])
    await copyFile(strict, path.join(cacheDir, 'models', 'ka-s1-strict.onnx'))
    video = await makeSquareVideo(dir, 60)
    backend = await createBackend({ host: 'cli', version: 'test', cacheDir })
    provideClient(new StudioClient(new LoopbackTransport(backend)))
  })
  afterAll(async () => {
    backend?.dispose()
    await rm(dir, { recursive: true, force: true })
  })
  beforeEach(() => setActivePinia(createPinia()))
  // Each test's store stops listening, so no test sees another's events through the shared client.
  afterEach(() => useTrackingStore().dispose())

  it('lists the user models with their metadata', async () => {
    const t = useTrackingStore()
    await t.loadModels()
    const ka = t.models.find((m) => m.id === 'ka')
    expect(ka?.source).toBe('user')
    expect(ka?.metadata['shuttle.frames_in']).toBe('3')
    expect(ka?.problem).toBeNull()
  })

  it('tracks the open video: progress, points per frame, then the rectified track', async () => {
    const t = useTrackingStore()
    await t.loadModels()
    t.modelId = 'ka'
    await t.start(video)
    expect(t.jobId).toMatch(/^track-/)
    await until(() => t.state === 'done' && t.pointAt(21)?.source === 'filled')
    expect(t.progress?.done).toBe(60)
    expect(t.progress?.provider).toMatch(/^(cpu|cuda)/)
    const p = t.pointAt(40)!
    const e = expectedCentre(40)!
    expect(p.visible).toBe(true)
    expect(Math.abs(p.x - e.x)).toBeLessThanOrEqual(1)
    expect(Math.abs(p.y - e.y)).toBeLessThanOrEqual(1)
    expect(t.points.filter(Boolean).length).toBe(60)
    expect(t.version).toBeGreaterThan(1) // one bump per chunk and one for the result: what FrameView watches
  })

  it('a second run comes from the cache', async () => {
    const t = useTrackingStore()
    t.modelId = 'ka'
    await t.start(video)
    await until(() => t.state === 'done')
    expect(t.progress?.fromCache).toBe(true)
  })

  it('runs on the provider the user forces, says why it fell back, and remembers the choice', async () => {
    await withSettings(async () => {
      const t = useTrackingStore()
      t.setProvider('cuda')
      t.modelId = 'ka'
      // A video not tracked before: a cached result runs no provider at all.
      const other = await makeSquareVideo(path.join(dir, 'forced'), 30)
      await t.start(other)
      await until(() => t.state === 'done' || t.state === 'failed')
      expect(t.state).toBe('done')
      // This machine either has CUDA (it runs) or not (the CPU runs, and the note says why, with the fix).
      expect(t.progress?.provider).toMatch(/^(cuda\b|cpu \(cuda unavailable: .+\))/)
      t.dispose()
      setActivePinia(createPinia())
      expect(useTrackingStore().provider).toBe('cuda')
    })
  })

  it('tracks fast when asked (one window per frame, at the threshold the model has for it), and remembers it', async () => {
    await withSettings(async () => {
      const t = useTrackingStore()
      t.modelId = 'ka-s1-strict'
      const other = await makeSquareVideo(path.join(dir, 'fast'), 30)
      await t.start(other)
      await until(() => t.state === 'done')
      expect(t.points.filter((p) => p?.visible).length).toBeGreaterThan(0)
      expect(t.progress?.provider).not.toMatch(/fast/)
      t.setFast(true)
      await t.start(other)
      await until(() => t.state === 'done' && t.points.every((p) => !p?.visible))
      expect(t.progress?.provider).toMatch(/fast: each frame seen once \(threshold 0\.999999\)/)
      t.dispose()
      setActivePinia(createPinia())
      expect(useTrackingStore().fast).toBe(true)
    })
  })

  it('says why a model cannot be used', async () => {
    const t = useTrackingStore()
    t.modelId = path.join(dir, 'missing.onnx')
    await t.start(video)
    expect(t.error).toMatch(/does not exist/)
  })
})
