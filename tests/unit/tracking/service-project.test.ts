// Runs in Node (Vitest): tracking a clip of the open project through the real backend and dispatch — the
// background pass is reported as its own phase before any frame is tracked, the forced provider is the one
// that runs, and the finished track is also kept in the project's .studio/predictions (per clip and model).
import { readdir, readFile } from 'node:fs/promises'
import { mkdtemp } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from '../../../src/backend/rpc/dispatch'
import { createBackend, type Backend } from '../../../src/backend/services'
import type { EventMessage } from '@shared/api/wire'
import { cleanup, expectedCentre, makeModel, makeSquareVideo, modelToolsMissing } from './fixtures'

const missing = await modelToolsMissing()
if (missing) console.warn(`project tracking tests skipped: ${missing}`)

describe.skipIf(missing !== null)('tracking a project clip', () => {
  let dir: string
  let backend: Backend
  let id = 0
  const call = async (method: string, params: unknown): Promise<Record<string, unknown>> => {
    const r = await dispatch(backend.handlers, { type: 'request', id: ++id, method, params })
    if (!r.ok) throw new Error(`${method}: ${r.error.code}: ${r.error.message}`)
    return r.result as Record<string, unknown>
  }

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'shuttle-track-project-'))
    backend = await createBackend({ host: 'cli', version: 'test', cacheDir: path.join(dir, 'cache') })
  })
  afterAll(async () => {
    await backend.handlers['project.close']({})
    backend.dispose()
    await cleanup(dir)
  })

  it('reports the background phase, runs on the forced provider and keeps the track in the project', async () => {
    const model = await makeModel(path.join(dir, 'models'), 'ka-bg', ['--background', '--output', 'sigmoid'])
    const video = await makeSquareVideo(dir, 60)
    await call('project.create', { dir: path.join(dir, 'p'), name: 'Tracked' })
    const added = (await call('project.addVideos', { match: 'm1', paths: [video], mode: 'copy' })) as {
      added: { clipId: string; videoPath?: string }[]
    }
    const clipId = added.added[0]!.clipId
    const lib = (await call('project.library', {})) as {
      matches: { clips: { clipId: string; videoPath: string | null }[] }[]
    }
    const clipVideo = lib.matches[0]!.clips.find((c) => c.clipId === clipId)!.videoPath!

    const events: EventMessage[] = []
    const done = new Promise<void>((resolve) =>
      backend.events.subscribe((m) => {
        events.push(m)
        const p = m.payload as { state?: string }
        if (m.event === 'track.progress' && (p.state === 'done' || p.state === 'failed')) resolve()
      })
    )
    await call('track.start', { path: clipVideo, model, provider: 'cpu' })
    await done

    const progress = events
      .filter((e) => e.event === 'track.progress')
      .map(
        (e) => e.payload as { state: string; phase?: string; done: number; total: number; provider: string }
      )
    const last = progress[progress.length - 1]!
    expect(last).toMatchObject({ state: 'done', done: 60, total: 60 })
    expect(last.provider).toMatch(/^cpu/)
    const firstTracking = progress.findIndex((p) => p.phase !== 'background' && p.done > 0)
    const background = progress.filter((p) => p.phase === 'background')
    expect(background.length).toBeGreaterThan(0)
    expect(background[background.length - 1]).toMatchObject({ done: 60, total: 60 })
    expect(progress.lastIndexOf(background[background.length - 1]!)).toBeLessThan(firstTracking)

    const files = await readdir(path.join(dir, 'p', '.studio', 'predictions'))
    expect(files).toHaveLength(1)
    expect(files[0]).toMatch(new RegExp(`^${clipId}\\.[0-9a-f]{16}\\.csv$`))
    const rows = (await readFile(path.join(dir, 'p', '.studio', 'predictions', files[0]!), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => l.split(','))
    // Each frame's candidates ride along, so the Train tab can see where the trajectory chose another blob.
    expect(rows[0]).toEqual(['Frame', 'Visibility', 'X', 'Y', 'Confidence', 'Source', 'Candidates'])
    expect(rows[41]![6]).toMatch(/^[\d.-]+:[\d.-]+:[\d.-]+:[\d.-]+/)
    expect(rows).toHaveLength(61)
    const e = expectedCentre(40)!
    expect(Math.abs(Number(rows[41]![2]) - e.x)).toBeLessThanOrEqual(1)
    expect(Math.abs(Number(rows[41]![3]) - e.y)).toBeLessThanOrEqual(1)
  })
})
