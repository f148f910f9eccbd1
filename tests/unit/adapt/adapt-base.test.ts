// Runs in Node (Vitest): which checkpoint adaptation starts from — the bundled model by default (found where the
// tracker finds it), a model of the user's models folder by id, an .onnx through its .pt sibling, or a .pt.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { AdaptBaseProblem, resolveAdaptBase } from '../../../src/backend/adapt/adapt-base'
import { bundledModelsDir } from '../../../src/backend/tracking/model-catalog'

const dir = mkdtempSync(path.join(os.tmpdir(), 'adapt-base-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('resolveAdaptBase', () => {
  it('defaults to the bundled mmfnet-small checkpoint, with its ONNX model', () => {
    const bundled = bundledModelsDir()
    expect(bundled).not.toBeNull()
    expect(resolveAdaptBase(undefined, { bundled, user: null })).toEqual({
      pt: path.join(bundled!, 'mmfnet-small.pt'),
      onnx: path.join(bundled!, 'mmfnet-small.onnx')
    })
  })

  it('finds an adapted model of the user by id, and takes an .onnx or a .pt by path', () => {
    const user = path.join(dir, 'models')
    mkdirSync(user)
    for (const f of ['court2.onnx', 'court2.pt', 'only.pt']) writeFileSync(path.join(user, f), '')
    const dirs = { bundled: null, user }
    const pair = { pt: path.join(user, 'court2.pt'), onnx: path.join(user, 'court2.onnx') }
    expect(resolveAdaptBase('court2', dirs)).toEqual(pair)
    expect(resolveAdaptBase(pair.onnx, dirs)).toEqual(pair)
    expect(resolveAdaptBase(pair.pt, dirs)).toEqual(pair)
    expect(resolveAdaptBase(path.join(user, 'only.pt'), dirs)).toEqual({
      pt: path.join(user, 'only.pt'),
      onnx: null
    })
    expect(() => resolveAdaptBase(path.join(user, 'notes.txt'), dirs)).toThrow(AdaptBaseProblem)
  })
})
