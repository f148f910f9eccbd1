// Runs in vitest (plain Node): the `analyse` command called as a function: files written (CSV columns, JSON,
// a self-contained HTML report with chart.js inlined), --json output, and the exit codes 0 / 1 / 2.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runAnalyse, type AnalyseIo } from '../../../src/cli/commands/analyse'
import { HIT_CSV_HEADER } from '@shared/analysis/report-csv'
import { makeSynthClip, removeClip, type SynthClip } from './synth-fixture'

let clip: SynthClip
let dir = ''
let video = ''
let calibration = ''

function io(): AnalyseIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = []
  const stderr: string[] = []
  return {
    stdout,
    stderr,
    out: (t) => stdout.push(t),
    err: (t) => stderr.push(t),
    // The synthetic clip is generated without encoding: the video's facts are the generator's, and its frames
    // are its pictures (none repeats).
    repeatedFrames: async () => [],
    probe: async () => ({
      width: clip.size.width,
      height: clip.size.height,
      fps: clip.fps,
      frameCount: clip.track.visible.length
    })
  }
}

beforeAll(async () => {
  clip = await makeSynthClip(3, 30, 8)
  dir = await mkdtemp(path.join(tmpdir(), 'analyse-cli-'))
  video = path.join(dir, 'clip_01.mp4')
  await writeFile(video, 'not decoded: the probe is replaced in these tests')
  calibration = path.join(dir, 'synth.json')
  await writeFile(calibration, clip.synthJsonText)
}, 60_000)

afterAll(async () => {
  await removeClip(clip)
  await rm(dir, { recursive: true, force: true })
})

describe('shuttle-studio analyse', () => {
  it('writes the hit CSV, the JSON and a self-contained HTML report', async () => {
    const out = path.join(dir, 'out')
    const t = io()
    const code = await runAnalyse({ track: clip.csvPath, video, calibration, out }, t)
    expect(code).toBe(0)
    const csv = (await readFile(path.join(out, 'hits.csv'), 'utf8')).trim().split('\n')
    expect(csv[0]).toBe(HIT_CSV_HEADER)
    expect(csv.length - 1).toBeGreaterThan(1)
    const first = csv[1]!.split(',')
    expect(first).toHaveLength(10)
    expect(['height-corrected', 'court-plane']).toContain(first[7])
    expect(['near', 'far']).toContain(first[8])
    const json = JSON.parse(await readFile(path.join(out, 'analysis.json'), 'utf8'))
    expect(json.format).toBe('shuttle-studio-analysis')
    expect(json.rallies.length).toBeGreaterThan(0)
    expect(json.hits.length).toBe(csv.length - 1)
    const html = await readFile(path.join(out, 'report.html'), 'utf8')
    expect(html).toContain('id="analysis-data"')
    // Offline: chart.js is inside the page, nothing is fetched.
    expect(html).toMatch(/Chart\.js v4/)
    expect(html).not.toMatch(/<script[^>]+src=/)
    expect(html).not.toMatch(/https?:\/\/[^"'\s]*\.js/)
    expect(t.stdout.join('\n')).toMatch(/rallies, \d+ hits/)
  })

  it('prints one JSON object with --json', async () => {
    const t = io()
    const code = await runAnalyse(
      { track: clip.csvPath, video, calibration, out: path.join(dir, 'j'), json: true },
      t
    )
    expect(code).toBe(0)
    const o = JSON.parse(t.stdout.join(''))
    expect(o.ok).toBe(true)
    expect(o.summary.hits).toBeGreaterThan(0)
    expect(o.files.html).toMatch(/report\.html$/)
  })

  it('works without a calibration (no speeds, says so)', async () => {
    const t = io()
    expect(await runAnalyse({ track: clip.csvPath, video, out: path.join(dir, 'nocal') }, t)).toBe(0)
    expect(t.stdout.join('\n')).toMatch(/no --calibration/)
  })

  it('names every row it could not read as FILE:LINE, and refuses a track with none', async () => {
    const lines = (await readFile(clip.csvPath, 'utf8')).split('\n')
    // Lines 3 and 5 (frames 1 and 3) broken: a position that is not a number, a missing column.
    lines[2] = '1,1,NaN,5'
    lines[4] = '3,1,4'
    const broken = path.join(dir, 'broken.csv')
    await writeFile(broken, lines.join('\n'))
    const t = io()
    expect(await runAnalyse({ track: broken, video, out: path.join(dir, 'broken'), json: true }, t)).toBe(0)
    const o = JSON.parse(t.stdout.join(''))
    expect(o.skippedRows).toBe(2)
    expect(o.warnings[0]).toMatch(
      /^2 rows not read, left out: .*broken\.csv:3: .* \| .*broken\.csv:5: Row has 3 columns/
    )
    const empty = path.join(dir, 'header-only.csv')
    await writeFile(empty, 'Frame,Visibility,X,Y\n')
    const e = io()
    expect(await runAnalyse({ track: empty, video, out: path.join(dir, 'none') }, e)).toBe(1)
    expect(e.stderr.join('')).toMatch(/header-only\.csv has no readable row to analyse/)
  })

  it('refuses an --out that is a file, or lies under one, as a bad argument (exit 2)', async () => {
    const file = path.join(dir, 'not-a-folder')
    await writeFile(file, 'x')
    for (const out of [file, path.join(file, 'sub')]) {
      const t = io()
      expect(await runAnalyse({ track: clip.csvPath, video, out }, t)).toBe(2)
      expect(t.stderr.join('')).toMatch(/--out .* is not a folder/)
    }
  })

  it('exits 2 on bad arguments and 1 on unreadable inputs', async () => {
    let t = io()
    expect(await runAnalyse({ video }, t)).toBe(2)
    expect(t.stderr.join('')).toMatch(/--track/)
    t = io()
    expect(await runAnalyse({ track: clip.csvPath }, t)).toBe(2)
    t = io()
    expect(await runAnalyse({ track: path.join(dir, 'missing.csv'), video, json: true }, t)).toBe(2)
    expect(JSON.parse(t.stdout.join('')).ok).toBe(false)
    const junk = path.join(dir, 'junk.csv')
    await writeFile(junk, 'hello,world\n1,2\n')
    t = io()
    expect(await runAnalyse({ track: junk, video }, t)).toBe(1)
    const badCal = path.join(dir, 'bad.json')
    await writeFile(badCal, '{"format":"shuttle-studio-calibration","version":1}')
    t = io()
    expect(await runAnalyse({ track: clip.csvPath, video, calibration: badCal }, t)).toBe(1)
    expect(t.stderr.join('')).toMatch(/corners|imageSize/)
    // A video whose frames cannot be compared for repeats is analysed frame by frame, with a warning.
    t = io()
    t.repeatedFrames = undefined
    const out = path.join(dir, 'uncompared')
    expect(await runAnalyse({ track: clip.csvPath, video, out, json: true }, t)).toBe(0)
    expect(JSON.parse(t.stdout.join('\n')).warnings.join('\n')).toMatch(
      /could not check .* for repeated frames/
    )
    expect(JSON.parse(await readFile(path.join(out, 'analysis.json'), 'utf8')).hits.length).toBeGreaterThan(0)
    t = io()
    t.probe = async () => {
      throw new Error('ffprobe cannot read a video stream')
    }
    expect(await runAnalyse({ track: clip.csvPath, video }, t)).toBe(1)
  })

  it('applies saved hit edits (--hit-edits) and refuses a bad edits file with its reason', async () => {
    const plain = path.join(dir, 'plain')
    expect(await runAnalyse({ track: clip.csvPath, video, calibration, out: plain }, io())).toBe(0)
    const before = JSON.parse(await readFile(path.join(plain, 'analysis.json'), 'utf8')) as {
      hits: { frame: number }[]
    }
    const removed = before.hits[1]!.frame
    const edits = path.join(dir, 'hit-edits.json')
    await writeFile(
      edits,
      JSON.stringify({ format: 'shuttle-studio-hit-edits', version: 1, added: [], removed: [removed] })
    )
    const out = path.join(dir, 'edited')
    expect(await runAnalyse({ track: clip.csvPath, video, calibration, hitEdits: edits, out }, io())).toBe(0)
    const after = JSON.parse(await readFile(path.join(out, 'analysis.json'), 'utf8')) as {
      hits: { frame: number }[]
    }
    expect(after.hits.length).toBe(before.hits.length - 1)
    expect(after.hits.some((h) => h.frame === removed)).toBe(false)

    await writeFile(edits, '{"format":"shuttle-studio-hit-edits","version":1,"added":["x"],"removed":[]}')
    const t = io()
    expect(await runAnalyse({ track: clip.csvPath, video, calibration, hitEdits: edits, out }, t)).toBe(1)
    expect(t.stderr.join('\n')).toMatch(/hit-edits\.json: .*added\.0/)
  })
})
