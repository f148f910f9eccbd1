// Runs in Node (Vitest): what adaptation trains on and holds back, read from real generated footage (a synthetic
// match: H.264 through ffmpeg, TrackNet CSVs) — the held-back split by clip (three or more labelled clips) and
// by time, --max-frames, sparse labels (a frame without a row is never a target), bad rows skipped and counted,
// a missing video reported, too few labels refused with the counts, and the manifest the Python side reads.
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  MIN_TRAIN_FRAMES,
  summariseAdaptData,
  writeAdaptManifest
} from '../../../src/backend/adapt/adapt-data'
import type { AdaptManifest } from '../../../src/backend/adapt/adapt-manifest'
import { runSynth } from '../../../src/cli/commands/synth'

let dir: string
/** A generated match of two 2-second clips (60 frames each; seed 1's first clip shows the shuttle from frame 28,
 *  the second from 45, so the first three quarters hold visible frames), copied per test. */
let source: string
const MATCH = 'match_a'
let n = 0

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'adapt-data-'))
  source = path.join(dir, 'source')
  await runSynth(
    { out: source, match: MATCH, clips: '2', seconds: '2', size: '320x180', fps: '30', seed: '1' },
    { progress: false, log: () => undefined }
  )
}, 120_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A fresh copy of the generated match. */
function copy(): string {
  const to = path.join(dir, `copy-${++n}`)
  cpSync(source, to, { recursive: true })
  return to
}

const csvOf = (root: string, clip: string): string => path.join(root, MATCH, 'csv', `${clip}_ball.csv`)
const videoOf = (root: string, clip: string): string => path.join(root, MATCH, 'video', `${clip}.mp4`)

function rowsOf(root: string, clip: string): string[][] {
  return readFileSync(csvOf(root, clip), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','))
}

/** Keeps the CSV rows whose frame passes `keep` (the others become frames nobody labelled). */
function keepRows(root: string, clip: string, keep: (frame: number) => boolean): number {
  const rows = rowsOf(root, clip).filter((r) => keep(Number(r[0])))
  writeFileSync(
    csvOf(root, clip),
    ['Frame,Visibility,X,Y', ...rows.map((r) => r.join(','))].join('\n') + '\n'
  )
  return rows.length
}

describe('adaptation data', () => {
  it('splits each clip by time where two clips have labels, and the manifest carries every row as written', async () => {
    const root = copy()
    const { manifest, summary } = await writeAdaptManifest(root, path.join(root, 'run'))
    expect(summary.problem).toBeNull()
    expect(summary.clips.map((c) => c.clip)).toEqual(['clip_01', 'clip_02'])
    // Holding one of two clips back would train on one scene and measure on another: each clip gives its last
    // quarter (15 of 60 frames, from frame 45) instead.
    expect(summary.clips.map((c) => c.heldBack)).toEqual(['time', 'time'])
    for (const c of summary.clips) {
      expect(c).toMatchObject({ labelled: 60, heldFrom: 45, train: 45, held: 15 })
      expect(c.visible + c.invisible).toBe(c.labelled)
      expect(c.reviewed).toBe(0)
      expect(c.badRows).toBe(0)
    }
    expect(summary).toMatchObject({ trainFrames: 90, heldFrames: 30 })
    const m = JSON.parse(readFileSync(manifest, 'utf8')) as AdaptManifest
    expect(m.version).toBe(1)
    expect(m.clips.map((c) => [c.clip, c.train.length, c.held.length])).toEqual([
      ['clip_01', 45, 15],
      ['clip_02', 45, 15]
    ])
    expect(m.clips[0]).toMatchObject({ width: 320, height: 180, fps: 30, frames: 60 })
    expect(path.isAbsolute(m.clips[0]!.video)).toBe(true)
    // Every row exactly as the CSV has it: frame, visibility 0/1, x, y (0, 0 where not visible).
    const expected = rowsOf(root, 'clip_01').map((r) =>
      Number(r[1]) ? [Number(r[0]), 1, Number(r[2]), Number(r[3])] : [Number(r[0]), 0, 0, 0]
    )
    expect([...m.clips[0]!.train, ...m.clips[0]!.held]).toEqual(expected)
    expect(m.clips[0]!.held.map((r) => r[0])).toEqual(expected.slice(45).map((r) => r[0]))
  })

  it('holds back a whole clip where three clips have labels', async () => {
    const root = copy()
    cpSync(videoOf(root, 'clip_02'), videoOf(root, 'clip_03'))
    cpSync(csvOf(root, 'clip_02'), csvOf(root, 'clip_03'))
    const { manifest, summary } = await writeAdaptManifest(root, path.join(root, 'run'))
    expect(summary.problem).toBeNull()
    // Equal clips: the later one (a fifth of 180 is nearest one clip of 60).
    expect(summary.clips.map((c) => [c.clip, c.heldBack])).toEqual([
      ['clip_01', null],
      ['clip_02', null],
      ['clip_03', 'clip']
    ])
    expect(summary.clips[2]).toMatchObject({ heldFrom: 0, train: 0, held: 60, labelled: 60 })
    expect(summary).toMatchObject({ trainFrames: 120, heldFrames: 60 })
    const m = JSON.parse(readFileSync(manifest, 'utf8')) as AdaptManifest
    expect(m.clips.map((c) => [c.clip, c.train.length, c.held.length])).toEqual([
      ['clip_01', 60, 0],
      ['clip_02', 60, 0],
      ['clip_03', 0, 60]
    ])
  })

  it('splits a lone labelled clip by time, and a frame without a row is never a target', async () => {
    const root = copy()
    // Only every third frame of clip_01 labelled; clip_02 has no labels at all.
    const kept = keepRows(root, 'clip_01', (f) => f % 3 === 0)
    unlinkSync(csvOf(root, 'clip_02'))
    const { manifest, summary } = await writeAdaptManifest(root, path.join(root, 'run'))
    expect(kept).toBe(20)
    const clip = summary.clips[0]!
    expect(summary.clips).toHaveLength(1)
    expect(summary.skipped).toEqual([expect.objectContaining({ clip: 'clip_02', kind: 'no-labels' })])
    // The last quarter of the 20 labelled frames (frames 0, 3, ..., 57): 5 frames, from frame 45.
    expect(clip).toMatchObject({ labelled: 20, heldBack: 'time', heldFrom: 45, train: 15, held: 5 })
    const m = JSON.parse(readFileSync(manifest, 'utf8')) as AdaptManifest
    const frames = [...m.clips[0]!.train, ...m.clips[0]!.held].map((r) => r[0])
    expect(frames.every((f) => f % 3 === 0)).toBe(true)
    expect(m.clips[0]!.train.every((r) => r[0] < 45)).toBe(true)
    expect(m.clips[0]!.held.map((r) => r[0])).toEqual([45, 48, 51, 54, 57])
    // 15 frames to train on is under the minimum: refused, with the counts.
    expect(summary.problem).toContain(`15 labelled frames to train on and 5 held back`)
    expect(summary.problem).toContain(`at least ${MIN_TRAIN_FRAMES}`)
  })

  it('refuses training frames none of which shows the shuttle, with the count', async () => {
    const root = copy()
    for (const clip of ['clip_01', 'clip_02']) {
      const rows = rowsOf(root, clip).map((r) => [r[0]!, '0', '0', '0'])
      writeFileSync(
        csvOf(root, clip),
        ['Frame,Visibility,X,Y', ...rows.map((r) => r.join(','))].join('\n') + '\n'
      )
    }
    const s = await summariseAdaptData(root)
    expect(s.trainFrames).toBeGreaterThanOrEqual(MIN_TRAIN_FRAMES)
    expect(s.problem).toBe(
      `none of the ${s.trainFrames} frames to train on shows the shuttle (all are labelled not visible). ` +
        'Label frames where the shuttle is in the picture.'
    )
  })

  it('--max-frames keeps at most N training frames, spread over the training part; held back is untouched', async () => {
    const root = copy()
    const all = await summariseAdaptData(root)
    const s = await summariseAdaptData(root, { maxFrames: 25 })
    expect(s.trainFrames).toBe(25)
    expect(s.heldFrames).toBe(all.heldFrames)
    const { manifest } = await writeAdaptManifest(root, path.join(root, 'run'), { maxFrames: 25 })
    const clips = (JSON.parse(readFileSync(manifest, 'utf8')) as AdaptManifest).clips
    expect(clips.reduce((n, c) => n + c.train.length, 0)).toBe(25)
    for (const c of clips) {
      const train = c.train.map((r) => r[0])
      // Each clip keeps its share, spread over its training part (frames 0-44), not its first frames.
      expect(train.length).toBeGreaterThanOrEqual(12)
      expect(Math.min(...train)).toBeLessThan(4)
      expect(Math.max(...train)).toBeGreaterThan(40)
      expect(c.held).toHaveLength(15)
    }
    const few = await summariseAdaptData(root, { maxFrames: 10 })
    expect(few.problem).toMatch(/--max-frames 10 leaves too few/)
  })

  it('skips and counts rows it cannot use, and never fails on them', async () => {
    const root = copy()
    const bad = [
      'x,1,5,5', // frame not a number
      '40,1,nan,3', // position not a number
      '41,1,99999,5', // off the picture
      '3,1,10,10', // frame 3 again: the first row wins
      '100000,1,5,5' // beyond the video's 60 frames
    ]
    writeFileSync(
      csvOf(root, 'clip_01'),
      readFileSync(csvOf(root, 'clip_01'), 'utf8') + bad.join('\n') + '\n'
    )
    const before = rowsOf(source, 'clip_01').find((r) => r[0] === '3')!
    const { manifest, summary } = await writeAdaptManifest(root, path.join(root, 'run'))
    expect(summary.problem).toBeNull()
    expect(summary.clips[0]).toMatchObject({ labelled: 60, badRows: 5 })
    const m = JSON.parse(readFileSync(manifest, 'utf8')) as AdaptManifest
    const row3 = m.clips[0]!.train.find((r) => r[0] === 3)!
    expect(row3[1]).toBe(Number(before[1]))
    if (row3[1] === 1) expect(row3.slice(2)).toEqual([Number(before[2]), Number(before[3])])
  })

  it('reports a clip whose video is missing and goes on with the rest', async () => {
    const root = copy()
    unlinkSync(videoOf(root, 'clip_02'))
    const s = await summariseAdaptData(root)
    expect(s.skipped).toEqual([expect.objectContaining({ clip: 'clip_02', kind: 'no-video' })])
    expect(s.skipped[0]!.reason).toMatch(/clip_02: its video is missing/)
    expect(s.clips.map((c) => [c.clip, c.heldBack])).toEqual([['clip_01', 'time']])
    // The missing video is not a problem: the other clip is adapted on.
    expect(s.problem).toBeNull()
    unlinkSync(videoOf(root, 'clip_01'))
    const none = await summariseAdaptData(root)
    expect(none.clips).toHaveLength(0)
    expect(none.problem).toMatch(/nothing to adapt on: 2 labelled clip\(s\) have no readable video/)
  })

  it('says what is wrong with a folder that holds no clip', async () => {
    const empty = path.join(dir, 'empty')
    cpSync(path.join(source, MATCH, 'csv'), path.join(empty, 'notes'), { recursive: true })
    const s = await summariseAdaptData(empty)
    expect(s.clips).toHaveLength(0)
    expect(s.problem).toMatch(/nothing to adapt on: it holds no clip with both a video/)
  })
})
