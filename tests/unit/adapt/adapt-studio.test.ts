// Runs in Node (Vitest): adaptation on a studio project follows the Evaluate tab's ground truth. The studio writes
// every label into the clip's CSV, the tracker's unreviewed guesses too; those are never training targets, a
// label a person accepted is (and is counted as reviewed), and frames cleared to unknown are not targets at all.
// The project is edited through the real backend (the dispatcher, as over a socket) and saved by closing it.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { summariseAdaptData, writeAdaptManifest } from '../../../src/backend/adapt/adapt-data'
import type { AdaptManifest } from '../../../src/backend/adapt/adapt-manifest'
import { dispatch } from '../../../src/backend/rpc/dispatch'
import { createBackend } from '../../../src/backend/services'
import type { MethodName, Params, Result } from '@shared/api/contract'
import { acceptFrames } from '@shared/project/edits'
import { runSynth } from '../../../src/cli/commands/synth'

let dir: string
let projectDir: string

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'adapt-studio-'))
  projectDir = path.join(dir, 'project')
  await runSynth(
    { out: projectDir, match: 'match_a', clips: '1', seconds: '2', size: '320x180', fps: '30', seed: '9' },
    { progress: false, log: () => undefined }
  )
  const backend = await createBackend({ host: 'cli', version: 'test', cacheDir: path.join(dir, 'cache') })
  let id = 0
  const call = async <M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> => {
    const r = await dispatch(backend.handlers, { type: 'request', id: ++id, method, params })
    if (!r.ok) throw new Error(r.error.message)
    return r.result as Result<M>
  }
  try {
    await call('project.create', { dir: projectDir })
    const clipId = (await call('project.library', {})).matches[0]!.clips[0]!.clipId
    // Frames 0-9: the tracker's, unreviewed; 40-44: cleared; 20-29: accepted by a person.
    await call('labels.edit', {
      clipId,
      edits: [
        { kind: 'range', from: 0, to: 9, patch: { source: 'model', review: 'unreviewed' } },
        { kind: 'range', from: 40, to: 44, patch: { visibility: 'unknown', source: 'none' } },
        acceptFrames(20, 29)
      ]
    })
    await call('project.close', {})
  } finally {
    backend.dispose()
  }
}, 120_000)
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('adaptation data in a studio project', () => {
  it('leaves out the tracker’s unreviewed labels and cleared frames, and counts what was reviewed', async () => {
    // The CSV on disk still has the tracker's ten rows: the studio writes them for other tools.
    const csv = await readFile(path.join(projectDir, 'match_a', 'csv', 'clip_01_ball.csv'), 'utf8')
    const csvFrames = csv
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => Number(l.split(',')[0]))
    expect(csvFrames).toContain(5)

    const s = await summariseAdaptData(projectDir)
    expect(s.clips[0]).toMatchObject({ labelled: 45, notByPeople: 10, reviewed: 10, heldBack: 'time' })
    const { manifest } = await writeAdaptManifest(projectDir, path.join(dir, 'run'))
    const m = JSON.parse(await readFile(manifest, 'utf8')) as AdaptManifest
    const frames = [...m.clips[0]!.train, ...m.clips[0]!.held].map((r) => r[0])
    expect(frames).toHaveLength(45)
    expect(frames.some((f) => f < 10 || (f >= 40 && f <= 44))).toBe(false)
  })
})
