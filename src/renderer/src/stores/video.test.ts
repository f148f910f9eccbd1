// Runs in Node (Vitest): the video store against a real backend (loopback transport, real ffmpeg, a real
// generated video): opening, clamped stepping and seeking, exact times from the index, errors kept readable.
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createPinia, setActivePinia } from 'pinia'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createBackend, type Backend } from '../../../backend/services'
import { makeTestVideo } from '../../../../tests/helpers/test-videos'
import { LoopbackTransport } from '../../../../tests/unit/support/loopback'
import { StudioClient } from '../api/client'
import { provideClient } from './client'
import { useVideoStore } from './video'

let backend: Backend
let dir: string
let cfr: string
let vfr: string

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'video-store-'))
  cfr = await makeTestVideo('cfr', dir)
  vfr = await makeTestVideo('vfr', dir)
  backend = await createBackend({ host: 'cli', version: 'test', cacheDir: path.join(dir, 'cache') })
  provideClient(new StudioClient(new LoopbackTransport(backend)))
})

afterAll(() => {
  backend?.dispose()
  rmSync(dir, { recursive: true, force: true })
})

beforeEach(() => setActivePinia(createPinia()))

describe('video store', () => {
  it('opens a video at frame 0 with its facts', async () => {
    const store = useVideoStore()
    await store.open(cfr)
    expect(store.frame).toBe(0)
    expect(store.info?.frameCount).toBeGreaterThan(40)
    expect(store.lastFrame).toBe(store.frameCount - 1)
  })

  it('clamps steps and seeks to the video', async () => {
    const store = useVideoStore()
    await store.open(cfr)
    store.step(-1)
    expect(store.frame).toBe(0)
    store.step(10)
    expect(store.frame).toBe(10)
    expect(store.direction).toBe(1)
    store.step(-3)
    expect(store.direction).toBe(-1)
    store.seek(1e9)
    expect(store.frame).toBe(store.lastFrame)
    store.seek(4.6)
    expect(store.frame).toBe(5)
  })

  it('reads times from the demuxed index, which vary on a VFR video', async () => {
    const store = useVideoStore()
    await store.open(vfr)
    await store.ensureTimes(0)
    await expect.poll(() => store.currentTime).toBe(0)
    const times = await new StudioClient(new LoopbackTransport(backend)).call('video.frameTimes', {
      videoId: store.video!.videoId,
      from: 0,
      count: store.frameCount
    })
    const gaps = new Set(times.slice(1).map((t, i) => (t.time - times[i]!.time).toFixed(4)))
    expect(gaps.size).toBeGreaterThan(1)
    store.seek(7)
    await expect.poll(() => store.currentTime).toBe(times[7]!.time)
  })

  it('keeps the message of a failed open and the previous video', async () => {
    const store = useVideoStore()
    await store.open(cfr)
    await expect(store.open(path.join(dir, 'missing clip.mp4'))).rejects.toThrow(/missing clip\.mp4/)
    expect(store.info?.path).toBe(cfr)
    expect(store.opening).toBe(false)
  })
})
