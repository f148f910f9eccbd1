// Runs in vitest (plain Node): the same seed gives byte-identical labels, truth and raw frames (and, through
// x264, the same mp4); another seed gives another scene.
import { readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { locateFfmpeg } from '../../../src/backend/ffmpeg/locate'
import { generateMatch } from '../../../src/backend/synth/match'
import { hashingSink, smallOptions, tempDir } from './helpers'

const dirs: string[] = []
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true })
})

const cache = new Map<number, Promise<{ csv: string; json: string; frames: string }>>()

/** The first render of a seed is shared by the tests that only compare against it. */
function renderCached(seed: number): Promise<{ csv: string; json: string; frames: string }> {
  let r = cache.get(seed)
  if (!r) {
    r = renderRaw(seed)
    cache.set(seed, r)
  }
  return r
}

async function renderRaw(seed: number): Promise<{ csv: string; json: string; frames: string }> {
  const out = await tempDir(`det${seed}`)
  dirs.push(out)
  const hs = hashingSink()
  await generateMatch(smallOptions(out, { seed }), null, { sinkFor: () => hs.sink })
  return {
    csv: await readFile(path.join(out, 'm', 'csv', 'clip_01_ball.csv'), 'utf8'),
    json: await readFile(path.join(out, 'm', 'synth.json'), 'utf8'),
    frames: hs.digest()
  }
}

describe('determinism', () => {
  it('gives byte-identical labels, synth.json and raw frames for the same seed', async () => {
    const a = await renderCached(5)
    const b = await renderRaw(5)
    expect(b.csv).toBe(a.csv)
    expect(b.json).toBe(a.json)
    expect(b.frames).toBe(a.frames)
  }, 60_000)

  it('gives different labels and frames for a different seed', async () => {
    const a = await renderCached(5)
    const c = await renderRaw(6)
    expect(c.csv).not.toBe(a.csv)
    expect(c.frames).not.toBe(a.frames)
  }, 60_000)

  it('gives the same labels in the bright-pixel mode as in the broadcast mode', async () => {
    const out = await tempDir('mode')
    dirs.push(out)
    const hs = hashingSink()
    await generateMatch(smallOptions(out, { seed: 5, mode: 'bright-pixel' }), null, {
      sinkFor: () => hs.sink
    })
    const bright = await readFile(path.join(out, 'm', 'csv', 'clip_01_ball.csv'), 'utf8')
    expect(bright).toBe((await renderCached(5)).csv)
  }, 60_000)

  it('writes the same mp4 bytes for the same seed (x264 is deterministic with its default threading)', async () => {
    const ffmpeg = await locateFfmpeg()
    const files: Buffer[] = []
    for (let i = 0; i < 2; i++) {
      const out = await tempDir('mp4')
      dirs.push(out)
      await generateMatch(smallOptions(out, { seconds: 1 }), ffmpeg.ffmpegPath)
      files.push(await readFile(path.join(out, 'm', 'video', 'clip_01.mp4')))
    }
    expect(files[0]!.length).toBeGreaterThan(1000)
    expect(files[1]!.equals(files[0]!)).toBe(true)
  }, 60_000)
})
