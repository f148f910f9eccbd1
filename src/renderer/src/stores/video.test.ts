// Runs in Node (Vitest): the video store against a real backend (loopback transport, real ffmpeg, a real
// generated video): opening, clamped stepping and seeking, exact times from the index, errors kept readable, and
// one video.close for every video.open the store makes (the backend shares one handle per file, by lease).
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createPinia, setActivePinia } from 'pinia'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createBackend, type Backend } from '../../../backend/services'
import { makeTestVideo } from '../../../../tests/helpers/test-videos'
import { LoopbackTransport } from '../../../../tests/unit/support/loopback'
import { StudioClient } from '../api/client'
import type { Transport } from '../api/transport'
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

  it('releases exactly one hold per open, also when the same file is opened again', async () => {
    const calls = new CountingTransport(new LoopbackTransport(backend))
    provideClient(new StudioClient(calls))
    // A file of its own: the tests above leave their holds on cfr open.
    const own = path.join(dir, 'held-once.mp4')
    copyFileSync(cfr, own)
    const store = useVideoStore()
    await store.open(own)
    const id = store.video!.videoId
    await store.open(own)
    expect(store.video!.videoId).toBe(id) // the same shared handle, one more hold
    await store.open(vfr)
    // Two opens of the file, two closes: the last one closes the video in the backend.
    await expect.poll(() => calls.settled('video.close', id), { timeout: 10_000 }).toBe(2)
    await expect(client().call('video.frameTimes', { videoId: id, from: 0, count: 1 })).rejects.toThrow()
    expect(calls.count('video.open')).toBe(3)
    provideClient(new StudioClient(new LoopbackTransport(backend)))
  })

  it("never lets go of a clip's video: that hold is the project's, released when it closes the clip", async () => {
    const calls = new CountingTransport(new LoopbackTransport(backend))
    provideClient(new StudioClient(calls))
    const clip = await client().call('video.open', { path: cfr }) // the project's hold, not the store's
    const other = await client().call('video.open', { path: vfr })
    const store = useVideoStore()
    store.adopt(clip)
    store.adopt(clip) // the same clip shown again: still the one hold
    store.adopt(other) // another clip replaces it: the first clip is still open in the project
    await store.ensureTimes(0)
    expect(calls.count('video.close')).toBe(0)
    await client().call('video.frameTimes', { videoId: clip.videoId, from: 0, count: 1 })
    await client().call('video.close', { videoId: clip.videoId })
    await client().call('video.close', { videoId: other.videoId })
    provideClient(new StudioClient(new LoopbackTransport(backend)))
  })
})

const client = (): StudioClient => new StudioClient(new LoopbackTransport(backend))

/** The loopback transport, counting the calls made through it (and those answered) by method and video. */
class CountingTransport implements Transport {
  readonly kind = 'browser' as const
  private readonly made: { method: string; videoId?: string; done: boolean }[] = []
  constructor(private readonly inner: LoopbackTransport) {}
  async request(method: string, params: unknown): Promise<unknown> {
    const call = { method, videoId: (params as { videoId?: string }).videoId, done: false }
    this.made.push(call)
    try {
      return await this.inner.request(method, params)
    } finally {
      call.done = true
    }
  }
  on(event: string, listener: (payload: unknown) => void): () => void {
    return this.inner.on(event, listener)
  }
  frameUrl(videoId: string, frame: number, preview?: boolean): string {
    return this.inner.frameUrl(videoId, frame, preview)
  }
  count(method: string): number {
    return this.made.filter((c) => c.method === method).length
  }
  settled(method: string, videoId: string): number {
    return this.made.filter((c) => c.method === method && c.videoId === videoId && c.done).length
  }
}
