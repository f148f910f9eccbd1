// Runs in Node (Vitest): the project methods through the real backend and dispatch (params and results
// validated against the contract), on a small real video: the clip's videoId serves frames, and an edit's
// acknowledgement and event come back as the contract says.
import path from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { dispatch } from '../../../src/backend/rpc/dispatch'
import { createBackend, type Backend } from '../../../src/backend/services'
import type { EventMessage } from '@shared/api/wire'
import { decodeColumns, placePoint } from '@shared/project'
import { makeTestVideo } from '../../helpers/test-videos'
import { tempDir } from './helpers'

let tmp: Awaited<ReturnType<typeof tempDir>>
let backend: Backend | null = null
beforeEach(async () => {
  tmp = await tempDir()
})
afterEach(async () => {
  await backend?.handlers['project.close']({})
  backend?.dispose()
  backend = null
  await tmp.done()
})

let id = 0
async function call(method: string, params: unknown): Promise<Record<string, unknown>> {
  const r = await dispatch(backend!.handlers, { type: 'request', id: ++id, method, params })
  if (!r.ok) throw new Error(`${method}: ${r.error.code}: ${r.error.message}`)
  return r.result as Record<string, unknown>
}

it('creates a project, adds a video, opens the clip, edits it, all through dispatch', async () => {
  backend = await createBackend({ host: 'cli', version: 'test', cacheDir: path.join(tmp.dir, 'cache') })
  const events: EventMessage[] = []
  backend.events.subscribe((m) => events.push(m))
  const video = await makeTestVideo('cfr', tmp.dir, { frames: 10, width: 64, height: 48, name: 'r.mp4' })
  await call('project.create', { dir: path.join(tmp.dir, 'p'), name: 'Wired' })
  const added = (await call('project.addVideos', { match: 'm', paths: [video], mode: 'copy' })) as {
    added: { clipId: string }[]
  }
  const clipId = added.added[0]!.clipId
  const clip = (await call('clip.open', { clipId })) as {
    videoId: string
    info: { frameCount: number }
    labels: Parameters<typeof decodeColumns>[0]
  }
  expect(clip.info.frameCount).toBe(10)
  expect(decodeColumns(clip.labels).frameCount).toBe(10)
  const jpeg = await backend.frame(clip.videoId, 9)
  expect(jpeg[0]).toBe(0xff)
  const ack = await call('labels.edit', { clipId, edits: [placePoint(4, 12.5, 30)] })
  expect(ack).toMatchObject({ seq: 1, counts: { labelled: 1, visible: 1 } })
  expect(events.find((e) => e.event === 'labels.changed')?.payload).toMatchObject({ clipId, seq: 1 })
  const bad = await dispatch(backend.handlers, {
    type: 'request',
    id: 99,
    method: 'labels.edit',
    params: { clipId, edits: [{ kind: 'range', from: 1, to: 1, patch: { x: Number.NaN } }] }
  })
  expect(bad).toMatchObject({ ok: false, error: { code: 'bad-request' } })
  const lib = (await call('project.library', {})) as { matches: { clips: { frames: number }[] }[] }
  expect(lib.matches[0]!.clips[0]!.frames).toBe(10)
})
