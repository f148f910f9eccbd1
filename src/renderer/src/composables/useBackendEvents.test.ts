// Runs in Node (Vitest): stores listen to the backend's events through useBackendEvents, against a real
// backend (loopback transport, the real event bus): a store subscribes once however often it is loaded,
// dispose() drops its subscriptions, a later load subscribes again, and tearing the app's Pinia down drops
// every store's (labels, app, tracking, evaluation) on a generated, labelled match.
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { createPinia, disposePinia, setActivePinia } from 'pinia'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createBackend, type Backend } from '../../../backend/services'
import { LoopbackTransport } from '../../../../tests/unit/support/loopback'
import { makeLabelledMatch, type LabelledMatch } from '../../../../tests/unit/evaluation/fixture'
import { StudioClient } from '../api/client'
import type { Transport } from '../api/transport'
import { provideClient } from '../stores/client'
import { useAppStore } from '../stores/app'
import { useEvaluationStore } from '../stores/evaluation'
import { useLabelsStore } from '../stores/labels'
import { useProjectStore } from '../stores/project'
import { useTrackingStore } from '../stores/tracking'

/** The loopback transport, counting the event listeners that are subscribed now. */
class CountingTransport implements Transport {
  readonly kind = 'browser' as const
  active = 0
  constructor(private readonly inner: LoopbackTransport) {}
  request(method: string, params: unknown): Promise<unknown> {
    return this.inner.request(method, params)
  }
  on(event: string, listener: (payload: unknown) => void): () => void {
    this.active++
    const off = this.inner.on(event, listener)
    let on = true
    return () => {
      if (on) this.active--
      on = false
      off()
    }
  }
  frameUrl(videoId: string, frame: number): string {
    return this.inner.frameUrl(videoId, frame)
  }
}

describe('store event subscriptions', () => {
  let dir: string
  let backend: Backend
  let transport: CountingTransport
  let data: LabelledMatch

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'backend-events-'))
    data = await makeLabelledMatch(dir, 1)
    backend = await createBackend({ host: 'cli', version: 'test', cacheDir: path.join(dir, 'cache') })
    transport = new CountingTransport(new LoopbackTransport(backend))
    provideClient(new StudioClient(transport))
  })
  afterAll(async () => {
    await backend?.handlers['project.close']({})
    backend?.dispose()
    await rm(dir, { recursive: true, force: true })
  })
  beforeEach(() => setActivePinia(createPinia()))

  const missing = (message: string): void =>
    backend.events.emit('video.state', { videoId: 'clip-1', state: 'missing', message })

  it('subscribes once however often the store loads, and dispose() unsubscribes', async () => {
    const app = useAppStore()
    await app.load()
    await app.load()
    expect(transport.active).toBe(1)
    missing('the video file is gone')
    expect(app.notice).toEqual({ kind: 'error', text: 'the video file is gone' })

    app.dispose()
    expect(transport.active).toBe(0)
    app.dismiss()
    missing('heard after dispose')
    expect(app.notice).toBeNull()

    await app.load()
    expect(transport.active).toBe(1)
    missing('heard again')
    expect(app.notice?.text).toBe('heard again')
    app.dispose()
  })

  it("drops every store's subscriptions when the app's Pinia is torn down", async () => {
    const pinia = createPinia()
    setActivePinia(pinia)
    const project = useProjectStore()
    await project.create(data.projectDir)
    const clipId = project.library!.matches[0]!.clips[0]!.clipId
    await project.openClip(clipId)
    const labels = useLabelsStore()
    expect(labels.clip?.clipId).toBe(clipId)
    await useAppStore().load()
    await useTrackingStore().start(data.clips[0]!.video)
    await useEvaluationStore().start()
    // labels: 3, app: 1, tracking: 2, evaluation: 1
    expect(transport.active).toBe(7)
    backend.events.emit('project.saveProblem', { clipId, message: 'the disk is full' })
    expect(labels.problem).toBe('the disk is full')

    await useTrackingStore().cancel()
    await useEvaluationStore().cancel()
    disposePinia(pinia)
    expect(transport.active).toBe(0)
  })
})
