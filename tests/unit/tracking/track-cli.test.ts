// Runs in Node (Vitest): the tracking engine end to end through `shuttle-studio track` (runTrack) on a
// known-answer model and a video of a white square whose position is known in every frame: positions, the
// rectified and raw files, the cache, resuming, and every refusal with its exit code.
import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { locateFfmpeg } from '../../../src/backend/ffmpeg/locate'
import { loadModel, trackVideo, TrackError } from '../../../src/backend/tracking'
import { EXIT, runTrack, type TrackIo } from '../../../src/cli/commands/track'
import { ffprobeBin } from '../../helpers/test-videos'
import { cleanup, expectedCentre, makeModel, makeSquareVideo, modelToolsMissing } from './fixtures'

const run = promisify(execFile)
const missing = await modelToolsMissing()
if (missing) console.warn(`tracking tests skipped: ${missing}`)

function parseCsv(text: string): string[][] {
  return text
    .trim()
    .split('\n')
    .map((l) => l.split(','))
}

describe.skipIf(missing !== null)('track command (known-answer model)', () => {
  let dir: string
  let models: string
  let cacheDir: string
  const lines: { out: string[]; err: string[] } = { out: [], err: [] }
  const io = (): TrackIo => ({
    out: (t) => lines.out.push(t),
    err: (t) => lines.err.push(t),
    cacheDir,
    ffmpeg: () => locateFfmpeg()
  })

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'shuttle-track-'))
    models = path.join(dir, 'models')
    cacheDir = path.join(dir, 'cache')
    await makeModel(models, 'ka')
  })
  afterAll(() => cleanup(dir))

  it('finds the square within a pixel, rectifies the hidden frames, and writes both files', async () => {
    const video = await makeSquareVideo(dir, 60)
    const out = path.join(dir, 'out1')
    const code = await runTrack([video], { model: path.join(models, 'ka.onnx'), out, provider: 'cpu' }, io())
    expect(lines.err.join('\n')).toBe('')
    expect(code).toBe(EXIT.ok)
    const raw = parseCsv(await readFile(path.join(out, 'square-60.raw.csv'), 'utf8'))
    const rect = parseCsv(await readFile(path.join(out, 'square-60.csv'), 'utf8'))
    expect(raw[0]).toEqual(['Frame', 'Visibility', 'X', 'Y', 'Confidence', 'Candidates'])
    expect(rect[0]).toEqual(['Frame', 'Visibility', 'X', 'Y', 'Confidence', 'Source'])
    expect(raw.length).toBe(61)
    for (let n = 0; n < 60; n++) {
      const [f, vis, x, y, conf] = raw[n + 1] as string[]
      expect(Number(f)).toBe(n)
      const e = expectedCentre(n)
      if (!e) {
        expect(vis).toBe('0')
        const r = rect[n + 1] as string[]
        // A 3-frame gap on a straight path: the ballistic fill puts it back (this model's windows lie side by
        // side, so gaps are filled by default).
        expect(r[5]).toBe('filled')
        expect(Math.abs(Number(r[2]) - (10 + 3 * n + 3.5))).toBeLessThan(1.5)
        expect(Math.abs(Number(r[3]) - (20 + 4 * n + 3.5))).toBeLessThan(1.5)
        continue
      }
      expect(vis).toBe('1')
      expect(Math.abs(Number(x) - e.x)).toBeLessThanOrEqual(1)
      expect(Math.abs(Number(y) - e.y)).toBeLessThanOrEqual(1)
      expect(Number(conf)).toBeGreaterThan(0.9)
      expect((rect[n + 1] as string[])[5]).toBe('detected')
    }
    expect(lines.out.join('\n')).toMatch(
      /60 frames, 60 with the shuttle, [\d.]+ fps, provider cpu · \d sessions? × \d threads?/
    )
  })

  it('leaves gaps alone after overlapping windows unless --fill-gaps asks', async () => {
    const video = await makeSquareVideo(dir, 60)
    const out = path.join(dir, 'out-fill')
    // Windows one frame apart (every frame averaged over three): little is missed, so gaps are not filled.
    const model = await makeModel(models, 'ka-s1', ['--window-stride', '1'])
    const hidden = Array.from({ length: 60 }, (_, n) => n).filter((n) => !expectedCentre(n))
    expect(hidden.length).toBe(3)
    const sources = async (fillGaps?: string): Promise<string[]> => {
      expect(await runTrack([video], { model, out, provider: 'cpu', fillGaps }, io())).toBe(EXIT.ok)
      const rect = parseCsv(await readFile(path.join(out, 'square-60.csv'), 'utf8'))
      return hidden.map((n) => (rect[n + 1] as string[])[5]!)
    }
    expect(await sources()).toEqual(['none', 'none', 'none'])
    expect(await sources('2')).toEqual(['none', 'none', 'none']) // one frame too short for the gap
    expect(await sources('3')).toEqual(['filled', 'filled', 'filled'])
  })

  it('serves a second run from the cache, with the same output', async () => {
    const video = await makeSquareVideo(dir, 60)
    const first = await readFile(path.join(dir, 'out1', 'square-60.csv'), 'utf8')
    lines.out.length = 0
    const out = path.join(dir, 'out2')
    const code = await runTrack([video], { model: path.join(models, 'ka.onnx'), out, provider: 'cpu' }, io())
    expect(code).toBe(EXIT.ok)
    expect(lines.out.join('\n')).toMatch(/cached/)
    expect(await readFile(path.join(out, 'square-60.csv'), 'utf8')).toBe(first)
  })

  it('draws the track into an overlay video with --overlay', async () => {
    const video = await makeSquareVideo(dir, 60)
    const out = path.join(dir, 'out-overlay')
    const code = await runTrack(
      [video],
      { model: path.join(models, 'ka.onnx'), out, provider: 'cpu', overlay: true },
      io()
    )
    expect(code).toBe(EXIT.ok)
    const { stdout } = await run(ffprobeBin(), [
      '-v',
      'error',
      '-count_frames',
      '-select_streams',
      'v:0',
      '-show_entries',
      'stream=nb_read_frames,width,height',
      '-of',
      'csv=p=0',
      path.join(out, 'square-60.overlay.mp4')
    ])
    expect(stdout.trim()).toBe('240,160,60')
  })

  it('takes the background frame when the model asks for it', async () => {
    const video = await makeSquareVideo(dir, 60)
    const bg = await makeModel(models, 'ka-bg', ['--background', '--output', 'sigmoid'])
    const out = path.join(dir, 'out-bg')
    expect(await runTrack([video], { model: bg, out, provider: 'cpu', rectify: false }, io())).toBe(EXIT.ok)
    const rows = parseCsv(await readFile(path.join(out, 'square-60.csv'), 'utf8'))
    expect(rows[0]).toEqual(['Frame', 'Visibility', 'X', 'Y', 'Confidence', 'Candidates'])
    const e = expectedCentre(40)!
    expect(Math.abs(Number(rows[41]![2]) - e.x)).toBeLessThanOrEqual(1)
    expect(Math.abs(Number(rows[41]![3]) - e.y)).toBeLessThanOrEqual(1)
  })

  it('resumes an interrupted run from its last chunk, computing fewer frames, with the same result', async () => {
    const video = await makeSquareVideo(dir, 150)
    const model = await loadModel(path.join(models, 'ka.onnx'), { bundled: null, user: null })
    const ffmpeg = await locateFfmpeg()
    const full = await trackVideo({
      video,
      model,
      ffmpeg,
      cacheDir: path.join(dir, 'c-full'),
      provider: 'cpu'
    })
    expect(full.windowsRun).toBe(50)

    const resumeCache = path.join(dir, 'c-resume')
    const ac = new AbortController()
    const err = await trackVideo({
      video,
      model,
      ffmpeg,
      cacheDir: resumeCache,
      provider: 'cpu',
      signal: ac.signal,
      onChunk: () => ac.abort()
    }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(TrackError)
    expect((err as TrackError).kind).toBe('cancelled')

    const again = await trackVideo({ video, model, ffmpeg, cacheDir: resumeCache, provider: 'cpu' })
    expect(again.fromCache).toBe(false)
    expect(again.resumedFrom).toBeGreaterThanOrEqual(60)
    expect(again.windowsRun).toBeLessThan(full.windowsRun)
    expect(again.detections).toEqual(full.detections)
  })

  it('with overlapping windows (stride 1) a resumed run still equals a fresh one', async () => {
    const video = await makeSquareVideo(dir, 150)
    const model = await loadModel(path.join(models, 'ka.onnx'), { bundled: null, user: null })
    const ffmpeg = await locateFfmpeg()
    const run = (cacheDir: string, extra: Partial<Parameters<typeof trackVideo>[0]> = {}) =>
      trackVideo({ video, model, ffmpeg, cacheDir, provider: 'cpu', stride: 1, ...extra })
    const full = await run(path.join(dir, 'c-s1-full'))
    expect(full.windowsRun).toBe(148) // every start 0..147: each frame seen by up to 3 windows
    const cache = path.join(dir, 'c-s1-resume')
    const ac = new AbortController()
    let chunks = 0
    const err = await run(cache, { signal: ac.signal, onChunk: () => ++chunks === 2 && ac.abort() }).catch(
      (e: unknown) => e
    )
    expect((err as TrackError).kind).toBe('cancelled')
    const again = await run(cache)
    expect(again.resumedFrom).toBeGreaterThan(0)
    expect(again.windowsRun).toBeLessThan(full.windowsRun)
    expect(again.detections).toEqual(full.detections)
    // The stride is part of the cache key: the default (non-overlapping) run is not served this one.
    const plain = await trackVideo({ video, model, ffmpeg, cacheDir: cache, provider: 'cpu' })
    expect(plain.fromCache).toBe(false)
    expect(plain.windowsRun).toBe(50)
  })

  it('refuses a model whose input does not fit its metadata, naming the dimension (exit 3)', async () => {
    const video = await makeSquareVideo(dir, 60)
    const bad = await makeModel(models, 'bad-channels', ['--variant', 'bad-channels'])
    lines.err.length = 0
    const code = await runTrack(
      [video],
      { model: bad, out: path.join(dir, 'o3'), provider: 'cpu', cache: false },
      io()
    )
    expect(code).toBe(EXIT.model)
    expect(lines.err.join('\n')).toMatch(
      /input "frames" has shape \[N, 10, 72, 128\].*dimension 1 is 10, not 9/
    )
  })

  it('refuses a model without the shuttle metadata (exit 3)', async () => {
    const bad = await makeModel(models, 'no-metadata', ['--variant', 'no-metadata'])
    lines.err.length = 0
    const code = await runTrack(['whatever.mp4'], { model: bad, out: path.join(dir, 'o4') }, io())
    expect(code).toBe(EXIT.model)
    expect(lines.err.join('\n')).toMatch(/metadata shuttle\.arch, .* are missing/)
  })

  it('refuses a file that is not an ONNX model (exit 3)', async () => {
    const fake = path.join(dir, 'fake.onnx')
    await writeFile(fake, 'this is not a model\n'.repeat(20))
    lines.err.length = 0
    expect(await runTrack(['v.mp4'], { model: fake, out: path.join(dir, 'o5') }, io())).toBe(EXIT.model)
    expect(lines.err.join('\n')).toMatch(/not an ONNX model/)
  })

  it('reports a video that stops decoding half way (exit 4) and goes on with the next video', async () => {
    const broken = await makeSquareVideo(dir, 150, { name: 'truncated.mp4', truncate: 0.5 })
    const good = await makeSquareVideo(dir, 60)
    lines.err.length = 0
    lines.out.length = 0
    const out = path.join(dir, 'o6')
    const code = await runTrack(
      [broken, good],
      { model: path.join(models, 'ka.onnx'), out, provider: 'cpu' },
      io()
    )
    expect(code).toBe(EXIT.video)
    expect(lines.err.join('\n')).toMatch(/video problem: .*truncated\.mp4/)
    expect(lines.out.join('\n')).toMatch(/square-60\.csv: 60 frames/)
  })

  it('refuses bad arguments (exit 2)', async () => {
    expect(await runTrack([], {}, io())).toBe(EXIT.badArgs)
    expect(await runTrack(['a.mp4'], { provider: 'tpu' }, io())).toBe(EXIT.badArgs)
    expect(await runTrack(['a/x.mp4', 'b/x.mov'], {}, io())).toBe(EXIT.badArgs)
    expect(await runTrack(['a.mp4'], { fillGaps: '0' }, io())).toBe(EXIT.badArgs)
    expect(await runTrack(['a.mp4'], { fillGaps: '3', rectify: false }, io())).toBe(EXIT.badArgs)
    expect(await runTrack(['a.mp4'], { workers: '0' }, io())).toBe(EXIT.badArgs)
    expect(await runTrack(['a.mp4'], { workers: '3', threads: '2' }, io())).toBe(EXIT.badArgs)
    expect(lines.err.join('\n')).toMatch(
      /--fill-gaps must be a whole number above 0[\s\S]*cannot go with --no-rectify[\s\S]*--workers must be a whole number above 0[\s\S]*--workers 3 needs at least as many --threads/
    )
  })

  it('says when the results cannot be written (exit 5)', async () => {
    const video = await makeSquareVideo(dir, 60)
    const out = path.join(dir, 'o7')
    // A folder where the CSV should go: rename fails for every user, root included (chmod would not stop root).
    await mkdir(path.join(out, 'square-60.csv'), { recursive: true })
    lines.err.length = 0
    const code = await runTrack([video], { model: path.join(models, 'ka.onnx'), out, provider: 'cpu' }, io())
    expect(code).toBe(EXIT.write)
    expect(lines.err.join('\n')).toMatch(/write problem: cannot write .*square-60/)
    const file = path.join(dir, 'a-file')
    await writeFile(file, '')
    expect(await runTrack([video], { out: path.join(file, 'sub') }, io())).toBe(EXIT.badArgs)
  })
})
