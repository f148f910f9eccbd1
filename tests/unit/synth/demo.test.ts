// Runs in vitest (plain Node): the first-run demo returns at once when a complete demo is already there (no
// ffmpeg needed for that), and reports the video paths the studio opens.
import { mkdir, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
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
    for (const clip of ['clip_01', 'clip_02']) {
      await writeFile(path.join(match, 'video', `${clip}.mp4`), 'x')
      await writeFile(path.join(match, 'csv', `${clip}_ball.csv`), 'x')
    }
    await writeFile(path.join(match, 'synth.json'), '{}')
    await writeFile(path.join(project, 'demo-complete.json'), JSON.stringify({ version: 1 }))
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
})
