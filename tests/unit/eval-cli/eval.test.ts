// Runs in Node (Vitest): `shuttle-studio eval` through its command function (runEval), on a TrackNet-layout
// root made here: tiny black videos from ffmpeg's lavfi at two sizes, so the tolerance has to scale with each
// video (10 px at 1280×720, 5 px at 640×360), and labels and predictions written by the test.
import { execFile } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { Command } from 'commander'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { locateFfmpeg } from '../../../src/backend/ffmpeg/locate'
import { EXIT_BAD_ARGS, EXIT_OK, EXIT_PROBLEMS, registerEval, runEval } from '../../../src/cli/commands/eval'

const run = promisify(execFile)
const FRAMES = 10

let tmp = ''
let ffprobe = ''
let ffmpeg = ''
let root = ''

/** Labels: the shuttle visible at (100 + 10i, 100) on even frames, not visible on odd ones. */
function labels(): string {
  const rows = ['Frame,Visibility,X,Y']
  for (let i = 0; i < FRAMES; i++) rows.push(i % 2 ? `${i},0,0,0` : `${i},1,${100 + 10 * i},100`)
  return rows.join('\n') + '\n'
}

/** Predictions `offset` px to the right of every visible label, not visible elsewhere. */
function predictions(offset: number): string {
  const rows = ['Frame,Visibility,X,Y,Confidence']
  for (let i = 0; i < FRAMES; i++)
    rows.push(i % 2 ? `${i},0,0,0,0.1` : `${i},1,${100 + 10 * i + offset},100,0.9`)
  return rows.join('\n') + '\n'
}

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true })
  writeFileSync(file, text)
}

async function video(file: string, size: string, ffmpegPath = ffmpeg): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true })
  const args = [
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    `color=black:s=${size}:d=${FRAMES / 30}:r=30`,
    '-frames:v'
  ]
  args.push(String(FRAMES), '-c:v', 'mpeg4', '-y', file)
  await run(ffmpegPath, args)
}

interface Captured {
  code: number
  out: string
  err: string
}

async function evalWith(options: Parameters<typeof runEval>[0]): Promise<Captured> {
  let out = ''
  let err = ''
  const code = await runEval(options, {
    out: (t) => (out += t + '\n'),
    err: (t) => (err += t + '\n'),
    ffprobe: async () => ffprobe
  })
  return { code, out, err }
}

const json = (c: Captured) => JSON.parse(c.out) as Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(async () => {
  const ff = await locateFfmpeg()
  ffprobe = ff.ffprobePath
  ffmpeg = ff.ffmpegPath
  tmp = mkdtempSync(path.join(tmpdir(), 'eval-cli-'))
  root = path.join(tmp, 'root')
  // The same clip name in two matches (as in TrackNet data), at two resolutions; one video without labels.
  await video(path.join(root, 'm1', 'video', 'a.mp4'), '1280x720')
  await video(path.join(root, 'm2', 'video', 'a.mp4'), '640x360')
  await video(path.join(root, 'm2', 'video', 'b.mp4'), '640x360')
  write(path.join(root, 'm1', 'csv', 'a_ball.csv'), labels())
  write(path.join(root, 'm2', 'csv', 'a_ball.csv'), labels())
  // Predictions 8 px off: inside τ = 10 at 1280×720, outside τ = 5 at 640×360.
  write(path.join(tmp, 'pred', 'm1', 'a.csv'), predictions(8))
  write(path.join(tmp, 'pred', 'm2', 'a.csv'), predictions(8))
}, 120_000)

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

describe('shuttle-studio eval', () => {
  it('prints one JSON object with the overall figures at the top and the tolerance scaled per video', async () => {
    const c = await evalWith({ pred: path.join(tmp, 'pred'), gt: root, json: true })
    expect(c.code).toBe(EXIT_OK)
    const r = json(c)
    const clips = r.clips as { match: string; tolerance: number; TP: number; FP1: number; TN: number }[]
    expect(clips.map((k) => [k.match, k.tolerance])).toEqual([
      ['m1', 10],
      ['m2', 5]
    ])
    expect(clips[0]).toMatchObject({ TP: 5, FP1: 0, TN: 5, width: 1280, height: 720 })
    expect(clips[1]).toMatchObject({ TP: 0, FP1: 5, TN: 5 })
    // Overall = the summed counts: TP 5, FP1 5, TN 10 of 20 frames.
    expect(r.overall).toMatchObject({ TP: 5, FP1: 5, FP2: 0, FN: 0, TN: 10, frames: 20 })
    expect(r.precision).toBeCloseTo(0.5, 12)
    expect(r.recall).toBeCloseTo(1, 12)
    expect(r.F1).toBeCloseTo(2 / 3, 12)
    expect(r.accuracy).toBeCloseTo(0.75, 12)
    expect(r.matches.map((m: { match: string; F1: number }) => [m.match, m.F1])).toEqual([
      ['m1', 1],
      ['m2', 0]
    ])
    expect(r.clips[0].distance).toMatchObject({ count: 5, p50: 8, p95: 8 })
    // The video without labels is reported, not fatal.
    expect(r.warnings.map((w: { message: string }) => w.message).join('\n')).toMatch(/b\.mp4 has no labels/)
    expect(r.errors).toEqual([])
  })

  it('uses 4 px at the video resolution with --strict, and other pixel counts with --tolerance', async () => {
    const strict = json(await evalWith({ pred: path.join(tmp, 'pred'), gt: root, json: true, strict: true }))
    expect(strict.clips.map((k: { tolerance: number }) => k.tolerance)).toEqual([4, 4])
    expect(strict.overall).toMatchObject({ TP: 0, FP1: 10 })
    const wide = json(await evalWith({ pred: path.join(tmp, 'pred'), gt: root, json: true, tolerance: '8' }))
    expect(wide.clips.map((k: { tolerance: number }) => k.tolerance)).toEqual([20, 10])
    expect(wide.overall).toMatchObject({ TP: 10, FP1: 0 })
  })

  it('prints a table with clips, matches and the overall row', async () => {
    const c = await evalWith({ pred: path.join(tmp, 'pred'), gt: root })
    expect(c.code).toBe(EXIT_OK)
    expect(c.out).toMatch(/^\s*TP\s+FP1\s+FP2\s+FN\s+TN/m)
    expect(c.out).toMatch(/^m1\/a\s+5\s+0\s+0\s+0\s+5\s+100\.00/m)
    expect(c.out).toMatch(/^m2 \(1 clip\)/m)
    expect(c.out).toMatch(/^overall\s+5\s+5\s+0\s+0\s+10\s+50\.00\s+100\.00\s+66\.67\s+75\.00/m)
    expect(c.out).toContain('distance <= τ')
    expect(c.err).toMatch(/warning: .*b\.mp4 has no labels/)
  })

  it('fails on a clip without predictions unless told to score it as never visible', async () => {
    const pred = path.join(tmp, 'pred-missing')
    write(path.join(pred, 'm1', 'a.csv'), predictions(0))
    const failed = await evalWith({ pred, gt: root })
    expect(failed.code).toBe(EXIT_PROBLEMS)
    expect(failed.err).toMatch(/error: m2\/a: no prediction file .*--missing-as-invisible/)
    // The table still shows what could be scored.
    expect(failed.out).toMatch(/^overall\s+5\s+0\s+0\s+0\s+5/m)
    const lenient = json(await evalWith({ pred, gt: root, json: true, missingAsInvisible: true }))
    expect(lenient.ok).toBe(true)
    expect(lenient.clips[1]).toMatchObject({ predictions: null, TP: 0, FN: 5, TN: 5 })
    expect(lenient.overall).toMatchObject({ TP: 5, FN: 5, TN: 10 })
  })

  it('accepts flat DIR/<clip>.csv and DIR/<clip>_ball.csv, but not when the clip name is in two matches', async () => {
    const solo = path.join(tmp, 'solo')
    write(path.join(solo, 'root', 'm1', 'csv', 'c_ball.csv'), labels())
    await video(path.join(solo, 'root', 'm1', 'video', 'c.mp4'), '1280x720')
    write(path.join(solo, 'pred', 'c_ball.csv'), predictions(1))
    const flat = json(
      await evalWith({ pred: path.join(solo, 'pred'), gt: path.join(solo, 'root'), json: true })
    )
    expect(flat.ok).toBe(true)
    expect(flat.overall).toMatchObject({ TP: 5, TN: 5 })

    const ambiguous = path.join(tmp, 'pred-flat')
    write(path.join(ambiguous, 'a.csv'), predictions(0))
    const c = await evalWith({ pred: ambiguous, gt: root, json: true })
    expect(c.code).toBe(EXIT_PROBLEMS)
    expect(json(c).errors[0].message).toMatch(/could belong to any match/)
  })

  it('refuses ground truth off the picture, huge, negative or not a number, naming file:line (exit 1)', async () => {
    const bad = path.join(tmp, 'bad-truth')
    const cases: [string, string, RegExp][] = [
      [
        'huge',
        '1000000000000,100',
        /a_ball\.csv:4: Visible at \(1000000000000, 100\): no video is that large/
      ],
      ['negative', '-5,100', /a_ball\.csv:4: Visible at \(-5, 100\): a negative position/],
      ['off', '640,100', /a_ball\.csv:4: Visible at \(640, 100\), outside the 640×360 frame/],
      ['nan', 'NaN,100', /a_ball\.csv:4: Visible, but its position \(NaN, 100\) is not a pair of numbers/],
      ['inf', 'Infinity,100', /a_ball\.csv:4: Visible, but its position \(Infinity, 100\)/]
    ]
    const goodVideo = path.join(bad, 'root', 'good', 'video', 'a.mp4')
    await video(goodVideo, '640x360')
    write(path.join(bad, 'root', 'good', 'csv', 'a_ball.csv'), labels())
    write(path.join(bad, 'pred', 'good', 'a.csv'), predictions(0))
    for (const [match, xy] of cases) {
      mkdirSync(path.join(bad, 'root', match, 'video'), { recursive: true })
      copyFileSync(goodVideo, path.join(bad, 'root', match, 'video', 'a.mp4'))
      // Line 4 is frame 2, a visible frame (the header is line 1).
      write(path.join(bad, 'root', match, 'csv', 'a_ball.csv'), labels().replace('2,1,120,100', `2,1,${xy}`))
      write(path.join(bad, 'pred', match, 'a.csv'), predictions(0))
    }
    const c = await evalWith({ pred: path.join(bad, 'pred'), gt: path.join(bad, 'root'), json: true })
    expect(c.code).toBe(EXIT_PROBLEMS)
    const r = json(c)
    expect(r.ok).toBe(false)
    // The good clip is still scored; every bad one is left out with its line named.
    expect(r.clips.map((k: { match: string }) => k.match)).toEqual(['good'])
    expect(r.overall).toMatchObject({ TP: 5, TN: 5 })
    const errors = r.errors as { clip: string; line: number; message: string }[]
    for (const [match, , message] of cases) {
      const e = errors.find((x) => x.clip === `${match}/a`)
      expect(e, match).toBeDefined()
      expect(e!.line).toBe(4)
      expect(e!.message).toMatch(message)
      expect(e!.message).toMatch(/clip not scored/)
    }
    const text = await evalWith({ pred: path.join(bad, 'pred'), gt: path.join(bad, 'root') })
    expect(text.code).toBe(EXIT_PROBLEMS)
    expect(text.err).toMatch(/error: .*huge.*a_ball\.csv:4:/)
  })

  it('refuses a prediction file with rows it cannot read, naming file:line', async () => {
    const dir = path.join(tmp, 'bad-pred')
    await video(path.join(dir, 'root', 'm', 'video', 'a.mp4'), '640x360')
    write(path.join(dir, 'root', 'm', 'csv', 'a_ball.csv'), labels())
    write(path.join(dir, 'pred', 'm', 'a.csv'), predictions(0).replace('4,1,140,100,0.9', '4,1,nan,nan,0.9'))
    const c = await evalWith({ pred: path.join(dir, 'pred'), gt: path.join(dir, 'root'), json: true })
    expect(c.code).toBe(EXIT_PROBLEMS)
    expect(json(c).errors[0].message).toMatch(/a\.csv:6: Visible, but its position \(nan, nan\)/)
  })

  it('says in the error itself why a prediction file cannot be read at all', async () => {
    const dir = path.join(tmp, 'unreadable-pred')
    await video(path.join(dir, 'root', 'm', 'video', 'a.mp4'), '640x360')
    write(path.join(dir, 'root', 'm', 'csv', 'a_ball.csv'), labels())
    write(path.join(dir, 'pred', 'm', 'a.csv'), 'Frame,Visibility,X\n0,1,1\n')
    const c = await evalWith({ pred: path.join(dir, 'pred'), gt: path.join(dir, 'root'), json: true })
    expect(c.code).toBe(EXIT_PROBLEMS)
    expect(json(c).errors[0].message).toMatch(
      /a\.csv: predictions cannot be read: Header "Frame,Visibility,X" is not a label header/
    )
  })
  it('exits 2 on bad arguments, saying what is wrong', async () => {
    const pred = path.join(tmp, 'pred')
    expect((await evalWith({ gt: root })).err).toMatch(/missing --pred/)
    expect((await evalWith({ gt: root })).code).toBe(EXIT_BAD_ARGS)
    expect((await evalWith({ pred })).code).toBe(EXIT_BAD_ARGS)
    expect((await evalWith({ pred, gt: path.join(tmp, 'nowhere') })).err).toMatch(/is not a folder/)
    const bad = await evalWith({ pred, gt: root, tolerance: 'ten', json: true })
    expect(bad.code).toBe(EXIT_BAD_ARGS)
    expect(json(bad)).toMatchObject({ ok: false })
    expect((await evalWith({ pred, gt: root, tolerance: '-1' })).code).toBe(EXIT_BAD_ARGS)
  })

  it('exits 1 when the root holds nothing to score', async () => {
    const empty = path.join(tmp, 'empty-root')
    mkdirSync(empty, { recursive: true })
    const c = await evalWith({ pred: path.join(tmp, 'pred'), gt: empty, json: true })
    expect(c.code).toBe(EXIT_PROBLEMS)
    expect(json(c)).toMatchObject({ ok: false, F1: null })
  })

  it('registers as the "eval" command with its options', () => {
    const program = new Command()
    registerEval(program)
    const cmd = program.commands.find((c) => c.name() === 'eval')
    expect(cmd?.options.map((o) => o.long)).toEqual([
      '--pred',
      '--gt',
      '--json',
      '--strict',
      '--tolerance',
      '--missing-as-invisible'
    ])
  })
})
