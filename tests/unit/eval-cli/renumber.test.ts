// Runs in Node (Vitest): `shuttle-studio renumber ROOT --out DIR` on a real generated video that drops frames —
// every label lands on the picture OpenCV showed for its number, ROOT is left as it was, the video is linked
// beside the new labels, a clip without a video is reported (exit 1), and bad arguments exit 2.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runRenumber, type RenumberIo } from '../../../src/cli/commands/renumber'
import { buildFrameIndex } from '../../../src/backend/video/frame-index'
import { opencvSeekFrames } from '../../../src/backend/video/opencv-frame-numbers'
import { probeVideo } from '../../../src/backend/video/probe'
import { readLabelCsv } from '../../../src/shared/labels/read'
import { ffprobeBin, makeTestVideo } from '../../helpers/test-videos'

let dir: string
let root: string
const video = (r: string): string => path.join(r, 'm', 'video', 'clip.mp4')
const csv = (r: string): string => path.join(r, 'm', 'csv', 'clip_ball.csv')
/** Label n puts the shuttle at x = 10 + n: where a label ends up says which number it was written under. */
const FRAMES = 160

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'renumber-'))
  root = path.join(dir, 'root')
  mkdirSync(path.dirname(video(root)), { recursive: true })
  mkdirSync(path.dirname(csv(root)), { recursive: true })
  // A camera that drops frames for a while, then keeps up.
  await makeTestVideo('dropped', path.dirname(video(root)), { name: 'clip.mp4', frames: FRAMES })
  const rows = Array.from({ length: FRAMES }, (_, n) => `${n},1,${10 + n},50`)
  writeFileSync(csv(root), ['Frame,Visibility,X,Y', ...rows].join('\n') + '\n')
}, 120_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function io(): RenumberIo & { outText: () => string; errText: () => string } {
  const out: string[] = []
  const err: string[] = []
  return {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    ffprobe: async () => ffprobeBin(),
    outText: () => out.join('\n'),
    errText: () => err.join('\n')
  }
}

describe('shuttle-studio renumber', () => {
  it('moves every label onto the picture OpenCV showed for its number, into a copy', async () => {
    const out = path.join(dir, 'out')
    const before = readFileSync(csv(root), 'utf8')
    const t = io()
    expect(await runRenumber(root, { out }, t)).toBe(0)
    expect(readFileSync(csv(root), 'utf8')).toBe(before)
    const p = await probeVideo(ffprobeBin(), video(root))
    const index = await buildFrameIndex(ffprobeBin(), video(root), p.streamIndex, p.timeBase)
    const shown = opencvSeekFrames({ pts: index.pts, key: index.key, fps: p.info.fps })
    const got = readLabelCsv(readFileSync(csv(out), 'utf8'), { video: { width: 320, height: 240 } }).points
    // Each picture carries the label written under the first number that showed it.
    const expected = new Map<number, number>()
    for (let n = 0; n < FRAMES; n++)
      if (shown[n]! >= 0 && !expected.has(shown[n]!)) expected.set(shown[n]!, n)
    expect(got.map((q) => [q.frame, q.x - 10])).toEqual([...expected].sort((a, b) => a[0] - b[0]))
    const moved = got.filter((q) => q.frame !== q.x - 10).length
    expect(moved).toBeGreaterThan(20)
    // The video beside them is the same file (a hard link on one disk).
    expect(statSync(video(out)).ino).toBe(statSync(video(root)).ino)
    expect(t.outText()).toMatch(/m\/clip\s+160\s+\d+\s+160\s+\d+/)
    expect(t.outText()).toContain('linked')
  })

  it('reports a clip without its video and writes the rest: exit 1', async () => {
    const r2 = path.join(dir, 'root2')
    mkdirSync(path.join(r2, 'm', 'csv'), { recursive: true })
    writeFileSync(path.join(r2, 'm', 'csv', 'lost_ball.csv'), 'Frame,Visibility,X,Y\n0,1,5,5\n')
    const t = io()
    expect(await runRenumber(r2, { out: path.join(dir, 'out2') }, t)).toBe(1)
    expect(t.errText()).toMatch(/m\/lost: no video, so its frames cannot be known; left out/)
  })

  it('refuses bad arguments with exit 2, saying which', async () => {
    const t = io()
    expect(await runRenumber(undefined, { out: dir }, t)).toBe(2)
    expect(await runRenumber(root, {}, t)).toBe(2)
    expect(await runRenumber(root, { out: path.join(root, 'inside') }, t)).toBe(2)
    expect(await runRenumber(root, { out: path.join(dir, 'o3'), from: 'matlab' }, t)).toBe(2)
    expect(await runRenumber(path.join(dir, 'nowhere'), { out: path.join(dir, 'o4') }, t)).toBe(2)
    const e = t.errText()
    expect(e).toContain('missing ROOT')
    expect(e).toContain('missing --out DIR')
    expect(e).toMatch(/inside .*root: choose a folder outside it/)
    expect(e).toContain('--from takes opencv, not "matlab"')
    expect(e).toMatch(/nowhere is not a folder/)
  })
})
