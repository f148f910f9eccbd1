// Runs in Node (Vitest): reading a TrackNet-layout root without videos being decoded — pairing (video files and
// a project's references), half-clips reported rather than thrown, and where a clip's prediction file is looked
// for.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { scanTrackNetRoot } from '../../../src/backend/dataset/layout'
import { findPredictionFile } from '../../../src/backend/dataset/prediction-file'

let tmp = ''
const touch = (...parts: string[]): void => {
  const file = path.join(tmp, ...parts)
  mkdirSync(path.dirname(file), { recursive: true })
  writeFileSync(file, '')
}

beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'dataset-'))
  touch('root', 'm1', 'video', 'a.mp4')
  touch('root', 'm1', 'csv', 'a_ball.csv')
  touch('root', 'm1', 'video', 'b.MOV')
  touch('root', 'm1', 'video', 'notes.txt')
  touch('root', 'm2', 'csv', 'c_ball.csv')
  touch('root', 'm2', 'csv', 'c_predict.csv')
  touch('root', 'exports', 'readme.txt')
  touch('pred', 'a.csv')
  touch('pred', 'm1', 'b.csv')
  touch('pred', 'c_ball.csv')
})

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

describe('scanTrackNetRoot', () => {
  it('pairs videos with labels and reports every half-clip', async () => {
    const root = path.join(tmp, 'root')
    const scan = await scanTrackNetRoot(root)
    expect(scan.clips.map((c) => [c.name, !!c.videoPath, !!c.labelPath])).toEqual([
      ['m1/a', true, true],
      ['m1/b', true, false],
      ['m2/c', false, true]
    ])
    expect(scan.clips[0]?.videoPath).toBe(path.join(root, 'm1', 'video', 'a.mp4'))
    expect(scan.problems.map((p) => p.kind)).toEqual(['empty-match', 'no-labels', 'no-video'])
    expect(scan.problems[1]?.message).toContain(path.join('csv', 'b_ball.csv'))
  })

  it("reads a project's video references, as the studio does, and says where a broken one points", async () => {
    const root = path.join(tmp, 'project')
    touch('elsewhere', 'r.mp4')
    touch('project', 'm', 'csv', 'r_ball.csv')
    touch('project', 'm', 'csv', 'gone_ball.csv')
    const ref = (clip: string, to: string): void =>
      writeFileSync(path.join(root, 'm', 'video', `${clip}.video.json`), JSON.stringify({ path: to }))
    mkdirSync(path.join(root, 'm', 'video'), { recursive: true })
    ref('r', path.join(tmp, 'elsewhere', 'r.mp4'))
    ref('gone', path.join(tmp, 'elsewhere', 'gone.mp4'))
    const scan = await scanTrackNetRoot(root)
    expect(scan.clips.map((c) => [c.name, c.videoPath, !!c.labelPath])).toEqual([
      ['m/gone', null, true],
      ['m/r', path.join(tmp, 'elsewhere', 'r.mp4'), true]
    ])
    expect(scan.problems.map((p) => p.kind)).toEqual(['no-video'])
    expect(scan.problems[0]?.message).toContain(`points at ${path.join(tmp, 'elsewhere', 'gone.mp4')}`)
  })

  it('reports a root that is not there', async () => {
    const scan = await scanTrackNetRoot(path.join(tmp, 'nowhere'))
    expect(scan.clips).toEqual([])
    expect(scan.problems[0]?.kind).toBe('no-root')
  })
})

describe('findPredictionFile', () => {
  const pred = () => path.join(tmp, 'pred')
  it('looks in DIR/<match>/<clip>.csv, then DIR/<clip>.csv, then DIR/<clip>_ball.csv', async () => {
    expect((await findPredictionFile(pred(), { match: 'm1', clip: 'b' }, true)).path).toBe(
      path.join(pred(), 'm1', 'b.csv')
    )
    expect((await findPredictionFile(pred(), { match: 'm1', clip: 'a' }, true)).path).toBe(
      path.join(pred(), 'a.csv')
    )
    expect((await findPredictionFile(pred(), { match: 'm2', clip: 'c' }, true)).path).toBe(
      path.join(pred(), 'c_ball.csv')
    )
    const none = await findPredictionFile(pred(), { match: 'm2', clip: 'z' }, true)
    expect(none).toMatchObject({ path: null, ambiguous: null })
    expect(none.tried).toHaveLength(3)
  })

  it('refuses a flat file for a clip name that several matches share', async () => {
    const r = await findPredictionFile(pred(), { match: 'm1', clip: 'a' }, false)
    expect(r).toMatchObject({ path: null, ambiguous: path.join(pred(), 'a.csv') })
  })
})
