// Runs in Node (Vitest): where a project keeps its adapted models — a fresh name never overwrites one, and a
// finished model is moved in whole with its PyTorch sibling (nothing left in the run folder) — and which runs
// are offered for resuming (a checkpoint and no finished mark; a damaged record is not one).
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  freshModelName,
  placeModelPair,
  projectModelsDir,
  projectRunsDir,
  ptSibling
} from '../../../src/backend/training/project-models'
import { unfinishedRuns, writeRunRecord, type RunRecord } from '../../../src/backend/training/run-record'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'project-models-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('project models', () => {
  it('names a model after the time, never the name of one already there', async () => {
    const models = projectModelsDir(dir)
    const now = new Date('2026-12-05T23:42:10Z')
    expect(freshModelName(models, now)).toBe('adapted-20261205-2342')
    await mkdir(models, { recursive: true })
    await writeFile(path.join(models, 'adapted-20261205-2342.onnx'), 'x')
    await writeFile(path.join(models, 'adapted-20261205-2342-2.onnx'), 'x')
    expect(freshModelName(models, now)).toBe('adapted-20261205-2342-3')
  })

  it('moves the model and its .pt into the models folder, leaving nothing behind', async () => {
    const run = path.join(dir, 'run')
    await mkdir(run)
    await writeFile(path.join(run, 'model.onnx'), 'onnx')
    await writeFile(path.join(run, 'model.pt'), 'pt')
    const to = path.join(projectModelsDir(dir), 'mine.onnx')
    await placeModelPair(path.join(run, 'model.onnx'), to)
    expect(await readFile(to, 'utf8')).toBe('onnx')
    expect(await readFile(ptSibling(to), 'utf8')).toBe('pt')
    expect(existsSync(path.join(run, 'model.onnx')) || existsSync(path.join(run, 'model.pt'))).toBe(false)
  })
})

describe('runs to resume', () => {
  const record = (jobId: string, startedAt: number, finished = false): RunRecord => ({
    version: 1,
    jobId,
    base: 'mmfnet-small',
    basePt: '/models/mmfnet-small.pt',
    name: jobId.replace('adapt-', 'm-'),
    minutes: 10,
    maxFrames: null,
    startedAt,
    finished
  })

  it('offers runs with a checkpoint and no finished mark, newest first', async () => {
    const runs = projectRunsDir(dir)
    const make = async (r: RunRecord, checkpoint: boolean): Promise<void> => {
      await mkdir(path.join(runs, r.jobId), { recursive: true })
      await writeRunRecord(path.join(runs, r.jobId), r)
      if (checkpoint) await writeFile(path.join(runs, r.jobId, 'last.pt'), 'ck')
    }
    await make(record('adapt-old', 1), true)
    await make(record('adapt-new', 2), true)
    await make(record('adapt-done', 3, true), true)
    await make(record('adapt-nockpt', 4), false)
    // A damaged record is not a run to resume.
    await mkdir(path.join(runs, 'adapt-bad'))
    await writeFile(path.join(runs, 'adapt-bad', 'run.json'), '{"version":1,')
    await writeFile(path.join(runs, 'adapt-bad', 'last.pt'), 'ck')
    expect((await unfinishedRuns(dir)).map((r) => r.jobId)).toEqual(['adapt-new', 'adapt-old'])
  })

  it('has none to offer in a project that never adapted', async () => {
    expect(await unfinishedRuns(dir)).toEqual([])
  })
})
