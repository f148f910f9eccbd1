// Runs in Node (Vitest): the one set of rules for names and paths the API takes — a match name can never climb
// out of the project or reach its .studio state, whichever method carries it, and every path field refuses a
// NUL byte with the field named — plus the backend's own guard, which holds even for a caller that skips the
// contract. Real folders on disk, a real backend.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from '../../../src/backend/rpc/dispatch'
import { createBackend, type Backend } from '../../../src/backend/services'
import { methods } from '@shared/api/contract'
import { ExistingMatchName, MatchName, UploadFileName } from '@shared/project/names'

let root: string
let projectDir: string
let backend: Backend

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'names-'))
  projectDir = path.join(root, 'project')
  mkdirSync(path.join(root, 'victim'))
  writeFileSync(path.join(root, 'victim', 'keep.txt'), 'mine')
  backend = await createBackend({ host: 'cli', version: 'test', cacheDir: path.join(root, 'cache') })
  await backend.handlers['project.create']({ dir: projectDir })
  mkdirSync(path.join(projectDir, 'm1', 'csv'), { recursive: true })
  writeFileSync(path.join(projectDir, 'm1', 'csv', 'a_ball.csv'), 'Frame,Visibility,X,Y\n0,1,10,20\n')
})

afterAll(async () => {
  await backend?.handlers['project.close']({})
  backend?.dispose()
  rmSync(root, { recursive: true, force: true })
})

const call = (method: string, params: unknown) =>
  dispatch(backend.handlers, { type: 'request', id: 1, method, params })

describe('names and paths', () => {
  it('refuses a rename whose source leaves the project or is its .studio state, moving nothing', async () => {
    for (const from of ['../victim', '.studio', '..', '.', 'm1/../../victim', 'm1\\..', `m1\u0000`, '']) {
      const r = await call('project.renameMatch', { from, to: 'stolen' })
      expect(r.ok, JSON.stringify(from)).toBe(false)
      expect(r.ok ? '' : r.error.message).toMatch(/^project\.renameMatch: from: /)
    }
    expect(readdirSync(path.join(root, 'victim'))).toEqual(['keep.txt'])
    expect(existsSync(path.join(projectDir, '.studio', 'project.json'))).toBe(true)
    expect(existsSync(path.join(projectDir, 'stolen'))).toBe(false)
  })

  it('holds in the backend too, for a caller that skips the contract', async () => {
    for (const from of ['../victim', '.studio']) {
      await expect(backend.handlers['project.renameMatch']({ from, to: 'stolen' })).rejects.toThrow(
        /not a match name|no match/
      )
    }
    await expect(backend.handlers['project.renameMatch']({ from: 'm1', to: '../out' })).rejects.toThrow(
      /not a match name/
    )
    expect(readdirSync(path.join(root, 'victim'))).toEqual(['keep.txt'])
    expect(existsSync(path.join(root, 'out'))).toBe(false)
    expect(existsSync(path.join(projectDir, '.studio', 'project.json'))).toBe(true)
  })

  it('still renames a real match, and refuses one that is a file, not a folder', async () => {
    writeFileSync(path.join(projectDir, 'notes.txt'), 'x')
    const file = await call('project.renameMatch', { from: 'notes.txt', to: 'n2' })
    expect(file).toMatchObject({ ok: false, error: { code: 'not-found' } })
    const r = await call('project.renameMatch', { from: 'm1', to: 'Final 2026' })
    expect(r.ok, JSON.stringify(r)).toBe(true)
    expect(existsSync(path.join(projectDir, 'Final 2026', 'csv', 'a_ball.csv'))).toBe(true)
  })

  it('never writes an export over the state in .studio', async () => {
    const projectFile = path.join(projectDir, '.studio', 'project.json')
    const before = readFileSync(projectFile, 'utf8')
    const targets = [projectFile, path.join(projectDir, 'm9', '..', '.studio', 'clips', 'x.csv')]
    for (const target of targets) {
      const r = await call('labels.export', { clipId: 'c-abcdef12', format: 'tracknet', path: target })
      expect(r).toMatchObject({ ok: false, error: { code: 'bad-request' } })
      expect(r.ok ? '' : r.error.message).toMatch(/is in the project's \.studio folder/)
    }
    const dataset = await call('dataset.export', { dir: path.join(projectDir, '.studio', 'out') })
    expect(dataset.ok ? '' : dataset.error.message).toMatch(/is in the project's \.studio folder/)
    expect(readFileSync(projectFile, 'utf8')).toBe(before)
    expect(existsSync(path.join(projectDir, '.studio', 'out'))).toBe(false)
  })

  it('refuses new names that would not survive on another system', () => {
    for (const bad of ['a:b', 'CON', 'nul.txt', 'x.', 'a\tb', '.hidden', 'a/b', 'é'.repeat(200)]) {
      expect(MatchName.safeParse(bad).success, bad).toBe(false)
    }
    expect(MatchName.parse('  Final 2026 ')).toBe('Final 2026')
    expect(UploadFileName.safeParse('rally one.mp4').success).toBe(true)
    expect(UploadFileName.safeParse('../x.mp4').success).toBe(false)
  })

  it('any accepted match name is one child folder of the project, never .studio (property)', () => {
    const base = path.resolve('/p/project')
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (name) => {
        for (const schema of [MatchName, ExistingMatchName]) {
          const r = schema.safeParse(name)
          if (!r.success) continue
          const joined = path.resolve(base, r.data)
          expect(path.dirname(joined)).toBe(base)
          expect(path.basename(joined).startsWith('.')).toBe(false)
        }
      }),
      { seed: 20261205, numRuns: 2000 }
    )
  })

  it('every path field of the contract refuses a NUL byte, naming the method and the field', async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['video.open', { path: 'a\u0000b' }, 'path'],
      ['fs.list', { dir: '/tmp\u0000' }, 'dir'],
      ['project.open', { dir: 'x\u0000' }, 'dir'],
      ['project.addVideos', { match: 'm', paths: ['v\u0000.mp4'], mode: 'copy' }, 'paths[0]'],
      ['labels.import', { clipId: 'c-abcdef12', path: '/etc/passwd\u0000.csv' }, 'path'],
      ['labels.export', { clipId: 'c-abcdef12', format: 'tracknet', path: 'x\u0000' }, 'path'],
      ['dataset.export', { dir: 'd\u0000' }, 'dir'],
      ['track.start', { path: 'v\u0000.mp4' }, 'path'],
      ['training.start', { base: 'm\u0000.onnx', minutes: 1 }, 'base'],
      ['training.suggest', { model: 'm\u0000.onnx' }, 'model']
    ]
    for (const [method, params, field] of cases) {
      expect(Object.hasOwn(methods, method)).toBe(true)
      const r = await call(method, params)
      expect(r.ok ? '' : r.error.message).toBe(`${method}: ${field}: a path cannot contain a NUL character`)
    }
  })
})
