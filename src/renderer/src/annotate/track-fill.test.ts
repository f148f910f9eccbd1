// Runs in Node (Vitest): "Track" labels the clip, against a real backend (loopback transport, real ffmpeg and
// onnxruntime, a known-answer model) on a project of two unlabelled clips — a track that finishes while
// another clip is open is written when its clip is opened, as one undo step; a person's label is kept; the
// same track again changes nothing; a re-track replaces only unreviewed model labels. Needs /usr/bin/python3
// with `onnx` for the known-answer model; skips without.
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { createPinia, setActivePinia } from 'pinia'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBackend, type Backend } from '../../../backend/services'
import { acceptFrames, placePoint } from '@shared/project/edits'
import { LoopbackTransport } from '../../../../tests/unit/support/loopback'
import { makeModel, makeSquareVideo, modelToolsMissing } from '../../../../tests/unit/tracking/fixtures'
import { StudioClient } from '../api/client'
import { provideClient, useClient } from '../stores/client'
import { useLabelsStore } from '../stores/labels'
import { useProjectStore } from '../stores/project'
import { useTrackingStore } from '../stores/tracking'
import { useTrackFillStore } from './track-fill'

const missing = await modelToolsMissing()
if (missing) console.warn(`track fill tests skipped: ${missing}`)

/** Opens a clip's labels as the Library does, minus the frame view (its video is not under test here). */
async function openClip(clipId: string): Promise<void> {
  useLabelsStore().load(await useClient().call('clip.open', { clipId }))
}

/** Waits for the backend's answer (an event), not for a time: the limit only stops a hung test. */
async function until(check: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe.skipIf(missing !== null)('Track labels the clip', () => {
  let dir: string
  let backend: Backend
  let clipIds: { a: string; b: string }

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'track-fill-'))
    const cacheDir = path.join(dir, 'cache')
    await mkdir(path.join(cacheDir, 'models'), { recursive: true })
    await copyFile(await makeModel(dir, 'ka'), path.join(cacheDir, 'models', 'ka.onnx'))
    const videos = path.join(dir, 'project', 'match_1', 'video')
    await makeSquareVideo(videos, 40, { name: 'a.mp4' })
    await makeSquareVideo(videos, 30, { name: 'b.mp4' })
    backend = await createBackend({ host: 'cli', version: 'test', cacheDir })
    provideClient(new StudioClient(new LoopbackTransport(backend)))
    // One pinia for the file, as in the app: the steps below follow one user's session.
    setActivePinia(createPinia())
    const project = useProjectStore()
    await project.create(path.join(dir, 'project'))
    const clips = project.library!.matches.flatMap((m) => m.clips)
    clipIds = {
      a: clips.find((c) => c.clip === 'a')!.clipId,
      b: clips.find((c) => c.clip === 'b')!.clipId
    }
  }, 120_000)
  afterAll(async () => {
    await backend?.handlers['project.close']({})
    backend?.dispose()
    await rm(dir, { recursive: true, force: true })
  })

  it('writes a track that finished while another clip was open when its clip is opened', async () => {
    const fill = useTrackFillStore()
    const tracking = useTrackingStore()
    const labels = useLabelsStore()
    await openClip(clipIds.a)
    const pathA = labels.clip!.info.path
    // A person's label, placed before tracking.
    await labels.apply([placePoint(5, 33, 44)])
    await openClip(clipIds.b)
    tracking.modelId = 'ka'
    const received = fill.received
    await tracking.start(pathA)
    await until(() => fill.received > received)
    // Clip b is open: nothing of a's track lands on it.
    expect(labels.frame(0)).toMatchObject({ visibility: 'unknown', source: 'none' })
    expect(labels.undoStack).toHaveLength(0)

    const written = fill.written
    await openClip(clipIds.a)
    await until(() => fill.written > written)
    expect(fill.outcome?.clipId).toBe(clipIds.a)
    expect(fill.outcome?.frames).toBe(39)
    expect(labels.undoStack).toHaveLength(1)
    expect(labels.frame(0)).toMatchObject({ visibility: 'visible', source: 'model', review: 'unreviewed' })
    for (let f = 0; f < 40; f++) if (f !== 5) expect(labels.frame(f)?.source).toBe('model')
    expect(labels.frame(5)).toMatchObject({ x: 33, y: 44, source: 'human', review: 'corrected' })

    // One undo takes the whole fill back; the person's label stays.
    await labels.undo()
    expect(labels.frame(0)).toMatchObject({ visibility: 'unknown' })
    expect(labels.frame(39)).toMatchObject({ visibility: 'unknown' })
    expect(labels.frame(5)).toMatchObject({ source: 'human' })
    await labels.redo()
    expect(labels.frame(0)).toMatchObject({ source: 'model' })
  }, 120_000)

  it('tracking the open clip again labels at once: only unreviewed model labels change, once', async () => {
    const fill = useTrackFillStore()
    const tracking = useTrackingStore()
    const labels = useLabelsStore()
    // The same track from the cache: nothing changes, no undo step.
    const before = fill.written
    await tracking.start(labels.clip!.info.path)
    await until(() => fill.written > before)
    expect(fill.outcome).toMatchObject({ clipId: clipIds.a, frames: 0, edit: null })
    expect(labels.undoStack).toHaveLength(1)

    // Move an unreviewed model label and accept another: the re-track puts back the first, keeps the second.
    await labels.apply([{ kind: 'range', from: 10, to: 10, patch: { x: 1, y: 1 } }, acceptFrames(12)])
    await labels.apply([{ kind: 'range', from: 11, to: 11, patch: { x: 2, y: 2 }, what: 'Nudge' }])
    const again = fill.written
    await tracking.start(labels.clip!.info.path)
    await until(() => fill.written > again)
    expect(fill.outcome?.frames).toBe(2)
    expect(labels.frame(10)?.x).not.toBe(1)
    expect(labels.frame(11)?.x).not.toBe(2)
    expect(labels.frame(12)).toMatchObject({ source: 'model', review: 'accepted' })
    expect(labels.frame(5)).toMatchObject({ source: 'human' })
  }, 120_000)

  it('a track not started with Track (as an evaluation runs them) changes no label', async () => {
    const fill = useTrackFillStore()
    const labels = useLabelsStore()
    const received = fill.received
    const steps = labels.undoStack.length
    let ended = false
    const off = useClient().on('track.progress', (e) => void (ended ||= e.state === 'done'))
    // Unrectified: a different job whose points differ from the labels, so a fill would show.
    await useClient().call('track.start', { path: labels.clip!.info.path, model: 'ka', rectify: false })
    await until(() => ended)
    off()
    expect(fill.received).toBe(received)
    expect(labels.undoStack).toHaveLength(steps)
  }, 120_000)
})
