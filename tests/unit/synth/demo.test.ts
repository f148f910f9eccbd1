// Runs in vitest (plain Node): the first-run demo returns at once when a complete demo is already there (no
// ffmpeg needed for that), reports the video paths the studio opens, is made again when it is an older demo,
// and, made with the real ffmpeg, ships its second clip without labels (so Track has something to show).
import { existsSync } from 'node:fs'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { locateFfmpeg } from '../../../src/backend/ffmpeg/locate'
import { DEMO_FOLDER, ensureDemoProject } from '../../../src/backend/synth/demo'
import { tempDir } from './helpers'

const dirs: string[] = []
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true })
})

describe('ensureDemoProject', () => {
  it('returns an existing complete demo at once without generating', async () => {
    const dir = await tempDir('demo')
    dirs.push(dir)
    const project = path.join(dir, DEMO_FOLDER)
    const match = path.join(project, 'match_demo')
    await mkdir(path.join(match, 'video'), { recursive: true })
    await mkdir(path.join(match, 'csv'), { recursive: true })
    for (const clip of ['clip_01', 'clip_02']) await writeFile(path.join(match, 'video', `${clip}.mp4`), 'x')
    // The second clip has no label file: that is the demo as made.
    await writeFile(path.join(match, 'csv', 'clip_01_ball.csv'), 'x')
    await writeFile(path.join(match, 'synth.json'), '{}')
    await writeFile(path.join(project, 'demo-complete.json'), JSON.stringify({ version: 2 }))
    // An ffmpeg that cannot run proves nothing was generated.
    const bogus = {
      ffmpegPath: path.join(dir, 'no-ffmpeg'),
      ffprobePath: 'none',
      version: '0',
      source: 'path' as const
    }
    const started = Date.now()
    const demo = await ensureDemoProject(dir, bogus)
    expect(Date.now() - started).toBeLessThan(1000)
    expect(demo.projectDir).toBe(project)
    expect(demo.videos).toEqual([
      path.join(match, 'video', 'clip_01.mp4'),
      path.join(match, 'video', 'clip_02.mp4')
    ])
  })

  it('fails cleanly and leaves no temporary folder when ffmpeg cannot run', async () => {
    const dir = await tempDir('demo-fail')
    dirs.push(dir)
    const bogus = {
      ffmpegPath: path.join(dir, 'no-ffmpeg'),
      ffprobePath: 'none',
      version: '0',
      source: 'path' as const
    }
    await expect(ensureDemoProject(dir, bogus)).rejects.toThrow(/ffmpeg/)
    const { readdir } = await import('node:fs/promises')
    expect(await readdir(dir)).toEqual([])
  }, 60_000)

  it('makes an older demo again (one whose second clip is labelled)', async () => {
    const dir = await tempDir('demo-old')
    dirs.push(dir)
    const match = path.join(dir, DEMO_FOLDER, 'match_demo')
    await mkdir(path.join(match, 'video'), { recursive: true })
    await mkdir(path.join(match, 'csv'), { recursive: true })
    for (const clip of ['clip_01', 'clip_02']) {
      await writeFile(path.join(match, 'video', `${clip}.mp4`), 'x')
      await writeFile(path.join(match, 'csv', `${clip}_ball.csv`), 'x')
    }
    await writeFile(path.join(match, 'synth.json'), '{}')
    await writeFile(path.join(dir, DEMO_FOLDER, 'demo-complete.json'), JSON.stringify({ version: 1 }))
    const bogus = {
      ffmpegPath: path.join(dir, 'no-ffmpeg'),
      ffprobePath: 'none',
      version: '0',
      source: 'path' as const
    }
    // It tries to generate (and fails on the missing ffmpeg) instead of returning the old one.
    await expect(ensureDemoProject(dir, bogus)).rejects.toThrow(/ffmpeg/)
  }, 60_000)

  it('made with ffmpeg: the first clip is labelled, the second has no label file, its truth is kept', async () => {
    const ffmpeg = await locateFfmpeg().catch(() => null)
    if (!ffmpeg) return console.warn('demo generation test skipped: ffmpeg is not installed')
    const dir = await tempDir('demo-real')
    dirs.push(dir)
    const demo = await ensureDemoProject(dir, ffmpeg)
    const match = path.join(demo.projectDir, 'match_demo')
    for (const v of demo.videos) expect(existsSync(v)).toBe(true)
    const labels = await readFile(path.join(match, 'csv', 'clip_01_ball.csv'), 'utf8')
    expect(labels.split('\n').length).toBeGreaterThan(200)
    expect(existsSync(path.join(match, 'csv', 'clip_02_ball.csv'))).toBe(false)
    expect(await readFile(path.join(match, 'synth.json'), 'utf8')).toContain('clip_02')
    // Complete as made: asked again, it is returned as it is.
    expect(await ensureDemoProject(dir, ffmpeg)).toEqual(demo)
  }, 300_000)
})
