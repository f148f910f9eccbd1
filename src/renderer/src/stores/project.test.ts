// Runs in Node (Vitest): the project store against a real backend (loopback transport, real ffmpeg, real files):
// looking at clips one after the other (A, B, A) keeps every shown clip's video working, and the clip shown
// before is closed, so clips do not each keep a video and its decoder open until the project closes.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createPinia, setActivePinia } from 'pinia'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBackend, type Backend } from '../../../backend/services'
import { makeTestVideo } from '../../../../tests/helpers/test-videos'
import { LoopbackTransport } from '../../../../tests/unit/support/loopback'
import { StudioClient } from '../api/client'
import { provideClient, useClient } from './client'
import { useProjectStore } from './project'
import { useVideoStore } from './video'

let backend: Backend
let dir: string

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'project-store-'))
  const video = await makeTestVideo('cfr', dir)
  for (const clip of ['rally_a', 'rally_b']) {
    mkdirSync(path.join(dir, 'project', 'match_1', 'video'), { recursive: true })
    copyFileSync(video, path.join(dir, 'project', 'match_1', 'video', `${clip}.mp4`))
  }
  backend = await createBackend({ host: 'cli', version: 'test', cacheDir: path.join(dir, 'cache') })
  provideClient(new StudioClient(new LoopbackTransport(backend)))
  setActivePinia(createPinia())
})

afterAll(() => {
  backend?.dispose()
  rmSync(dir, { recursive: true, force: true })
})

describe('project store', () => {
  it('shows clips A, B and A again with working frames, closing the clip shown before', async () => {
    const project = useProjectStore()
    const video = useVideoStore()
    await project.create(path.join(dir, 'project'))
    const ids = project.library!.matches.flatMap((m) => m.clips.map((c) => c.clipId))
    expect(ids).toHaveLength(2)
    const [a, b] = ids as [string, string]
    const framesWork = () =>
      useClient().call('video.frameTimes', { videoId: video.video!.videoId, from: 0, count: 2 })

    await project.openClip(a)
    await framesWork()
    await project.openClip(b)
    await framesWork()
    await project.openClip(a)
    // A's video was not closed under the still-open clip: its frames are there.
    expect(await framesWork()).toHaveLength(2)
    // B was closed when A came back: closing it again finds nothing open.
    await expect
      .poll(() => useClient().call('clip.close', { clipId: b }), { timeout: 10_000 })
      .toEqual({ closed: false })
  })
})
