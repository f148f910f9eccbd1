// Runs in Node (Vitest): `track --fast` — windows side by side instead of overlapping, decoded at the threshold
// the model carries for that stride (shuttle.thresholds_by_stride), on known-answer models and a video of a
// white square; and the metadata's parsing.
import { mkdtemp, readFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { locateFfmpeg } from '../../../src/backend/ffmpeg/locate'
import { loadModel, trackVideo } from '../../../src/backend/tracking'
import { ModelProblem, specFromMetadata, thresholdAt } from '../../../src/backend/tracking/model-spec'
import { EXIT, runTrack, type TrackIo } from '../../../src/cli/commands/track'
import { cleanup, makeModel, makeSquareVideo, MINIMAL_METADATA, modelToolsMissing } from './fixtures'

const META = { ...MINIMAL_METADATA, 'shuttle.threshold': '0.7', 'shuttle.window_stride': '1' }

describe('shuttle.thresholds_by_stride', () => {
  it("gives the threshold of each stride, the model's own at its stride and where it names none", () => {
    const spec = specFromMetadata({ ...META, 'shuttle.thresholds_by_stride': '3:0.9,2:0.8' })
    expect(thresholdAt(spec, 1)).toBe(0.7)
    expect(thresholdAt(spec, 2)).toBe(0.8)
    expect(thresholdAt(spec, 3)).toBe(0.9)
    const plain = specFromMetadata(META)
    expect(plain.thresholdsByStride.size).toBe(0)
    expect(thresholdAt(plain, 3)).toBe(0.7)
  })

  it('names a bad value instead of decoding at a wrong threshold', () => {
    for (const bad of ['3', '3:1.5', '4:0.9', '0:0.9', '3:0.9:1', 'fast', '3:0.9,'])
      expect(() => specFromMetadata({ ...META, 'shuttle.thresholds_by_stride': bad })).toThrow(ModelProblem)
    expect(() => specFromMetadata({ ...META, 'shuttle.thresholds_by_stride': '4:0.9' })).toThrow(
      /thresholds_by_stride = "4:0.9" .* stride 1 to 3/
    )
  })
})

const missing = await modelToolsMissing()
if (missing) console.warn(`fast-window tests skipped: ${missing}`)

describe.skipIf(missing !== null)('track --fast (known-answer models)', () => {
  let dir: string
  let overlapping: string
  let strict: string
  const lines: { out: string[]; err: string[] } = { out: [], err: [] }
  const io = (): TrackIo => ({
    out: (t) => lines.out.push(t),
    err: (t) => lines.err.push(t),
    cacheDir: path.join(dir, 'cache'),
    ffmpeg: () => locateFfmpeg()
  })

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'shuttle-fast-'))
    const models = path.join(dir, 'models')
    // Evaluated with overlapping windows; nothing said for stride 3, so --fast decodes at the same 0.5.
    overlapping = await makeModel(models, 'ka-s1', ['--window-stride', '1'])
    // The square's logit peaks at 10 (probability 0.99995): at stride 3 this model's threshold is above it.
    strict = await makeModel(models, 'ka-s1-strict', [
      '--window-stride',
      '1',
      '--thresholds-by-stride',
      '3:0.999999'
    ])
  })
  afterAll(() => cleanup(dir))

  it('runs a third of the windows and still finds the square in every frame it shows', async () => {
    const video = await makeSquareVideo(dir, 150)
    const model = await loadModel(overlapping, { bundled: null, user: null })
    const ffmpeg = await locateFfmpeg()
    const run = (stride?: number) =>
      trackVideo({ video, model, ffmpeg, cacheDir: path.join(dir, 'c'), provider: 'cpu', stride })
    const full = await run()
    const fast = await run(model.spec.framesIn)
    expect(full.windowsRun).toBe(148)
    expect(fast.windowsRun).toBe(50)
    const seen = (r: typeof full) => r.detections.filter((d) => d.visible).map((d) => d.frame)
    expect(seen(fast)).toEqual(seen(full))
    expect(seen(fast).length).toBe(147) // 150 frames, hidden in 20–22
  })

  it("decodes at the model's threshold for the stride, and says so", async () => {
    const video = await makeSquareVideo(dir, 60)
    lines.out.length = 0
    lines.err.length = 0
    const out = path.join(dir, 'o-strict')
    const base = { model: strict, out, provider: 'cpu', precision: 'fp32' }
    const detected = async (): Promise<number> =>
      (await readFile(path.join(out, 'square-60.raw.csv'), 'utf8'))
        .trim()
        .split('\n')
        .slice(1)
        .filter((l) => l.split(',')[1] === '1').length
    expect(await runTrack([video], base, io())).toBe(EXIT.ok)
    expect(await detected()).toBe(57) // hidden in 20–22
    expect(lines.out.join('\n')).not.toMatch(/windows 3 frames apart/)
    lines.out.length = 0
    expect(await runTrack([video], { ...base, fast: true }, io())).toBe(EXIT.ok)
    expect(lines.err.join('\n')).toBe('')
    expect(await detected()).toBe(0)
    expect(lines.out.join('\n')).toMatch(
      /square-60\.csv: 60 frames, 0 with the shuttle, .*windows 3 frames apart \(threshold 0\.999999\)/
    )
  })

  it('refuses --fast with --stride (exit 2)', async () => {
    lines.err.length = 0
    expect(await runTrack(['a.mp4'], { model: strict, fast: true, stride: '1' }, io())).toBe(EXIT.badArgs)
    expect(lines.err.join('\n')).toMatch(/--fast and --stride/)
  })
})
