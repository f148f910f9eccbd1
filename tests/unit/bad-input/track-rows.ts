// Runs in Node (Vitest): the bad-input rows of `shuttle-studio track` — broken and unusual videos, wrong
// arguments, models that are not models, a full disk and a read-only folder — each with the exit code the
// README documents (0 done, 2 bad arguments, 3 model, 4 video, 5 write) and what it must say.
import path from 'node:path'
import type { VideoCorpus } from './corpus'
import type { Row } from './harness'

export const TRACK_EXITS = [0, 2, 3, 4, 5] as const

export interface TrackFixtures {
  dir: string
  videos: VideoCorpus
  /** A model that runs: the known-answer test model where it can be made, else the bundled one. */
  model: string
  /** Files that are not usable models. */
  badModels: Record<'random' | 'text' | 'empty' | 'truncated', string>
  /** A valid ONNX file without the shuttle metadata (null where the test models cannot be made). */
  foreignModel: string | null
  aFile: string
  readOnlyDir: string
  readOnly: { uid?: number; skip: string | null }
  fullDiskSkip: string | null
}

/** Rows that must succeed; each writes `<out>/<video name>.csv` with one row per frame. */
export const TRACK_OK: [keyof VideoCorpus, number][] = [
  ['good', 6],
  ['rotated', 6],
  ['oddSize', 6],
  ['oddRate', 6],
  ['ntsc', 6],
  ['unicode', 6]
]

export function trackRows(f: TrackFixtures): Row[] {
  const out = (name: string): string => path.join(f.dir, 'track-out', name)
  const track = (name: string, videos: string[], extra: string[] = []): string[] => [
    'track',
    ...videos,
    '--model',
    f.model,
    '--provider',
    'cpu',
    '--no-cache',
    '--out',
    out(name),
    ...extra
  ]
  const v = f.videos
  const video = (name: keyof VideoCorpus, says: RegExp): Row => ({
    name: `video: ${name}`,
    args: track(`v-${name}`, [v[name]]),
    code: 4,
    says,
    outputs: [out(`v-${name}`)]
  })
  const model = (name: string, file: string, says: RegExp, skip: string | null = null): Row => ({
    name: `model: ${name}`,
    args: ['track', v.good, '--model', file, '--out', out(`m-${name}`), '--no-cache'],
    code: 3,
    says,
    outputs: [out(`m-${name}`)],
    skip
  })
  const bad = (name: string, args: string[], says: RegExp): Row => ({ name, args, code: 2, says })
  return [
    ...TRACK_OK.map(([name, frames]) => ({
      name: `video: ${name}`,
      args: track(`ok-${name}`, [v[name]]),
      code: 0,
      says: new RegExp(`${frames} frames, \\d+ with the shuttle`),
      writes: ['.csv', '.raw.csv'].map((ext) => ({
        file: path.join(out(`ok-${name}`), path.basename(v[name], '.mp4') + ext),
        lines: frames + 1
      }))
    })),
    video('oneFrame', /one-frame\.mp4: the video has 1 frame, fewer than the model's window of 3/),
    video('empty', /video problem: .*empty\.mp4.*(empty|no video|not a video)/i),
    video('text', /video problem: .*text\.mp4/),
    video('random', /video problem: .*random\.mp4/),
    video('truncated', /video problem: .*truncated\.mp4/),
    video('corruptMiddle', /video problem: .*corrupt-middle\.mp4/),
    video('audioOnly', /video problem: .*audio-only\.mp4.*no video/i),
    {
      name: 'video: missing file',
      args: track('v-missing', [path.join(f.dir, 'no such clip.mp4')]),
      code: 4,
      says: /video problem: .*no such clip\.mp4/,
      outputs: [out('v-missing')]
    },
    bad('no video', ['track', '--model', f.model], /missing required argument 'videos'/),
    bad('unknown option', ['track', v.good, '--turbo'], /unknown option '--turbo'/),
    bad('provider', ['track', v.good, '--provider', 'tpu'], /--provider must be one of/),
    bad('batch 0', ['track', v.good, '--batch', '0'], /--batch must be a whole number above 0/),
    bad('stride not a number', ['track', v.good, '--stride', 'x'], /--stride must be a whole number/),
    bad(
      'two videos, one output name',
      ['track', v.good, path.join(f.dir, 'x', 'good.mov')],
      /would both write good\.csv/
    ),
    bad('--out is a file', ['track', v.good, '--out', f.aFile], /--out .* is not a folder/),
    bad(
      '--out under a file',
      ['track', v.good, '--out', path.join(f.aFile, 'sub')],
      /--out .* is not a folder/
    ),
    model('random bytes', f.badModels.random, /model problem: .*not an ONNX model/),
    model('text', f.badModels.text, /model problem: .*not an ONNX model/),
    model('empty', f.badModels.empty, /model problem: .*(empty|not an ONNX model)/),
    model('truncated', f.badModels.truncated, /model problem: /),
    model('unknown id', 'no-such-model', /model problem: .*no-such-model/),
    model('a folder', f.dir, /model problem: /),
    model(
      'ONNX, not a shuttle model',
      f.foreignModel ?? '',
      /model problem: .*metadata shuttle\.arch/,
      f.foreignModel ? null : 'the test models need python3 with onnx'
    ),
    {
      name: 'full disk',
      args: track('full', [v.good]),
      code: 5,
      says: /write problem: cannot write .*(disk is full|too large)/,
      outputs: [out('full')],
      run: { fileSizeLimitKiB: 0 },
      skip: f.fullDiskSkip
    },
    {
      name: 'read-only --out',
      args: track('', [v.good]).map((a) => (a === out('') ? f.readOnlyDir : a)),
      code: 5,
      says: /write problem: cannot write .*permission denied/,
      outputs: [f.readOnlyDir],
      run: f.readOnly.uid !== undefined ? { uid: f.readOnly.uid } : {},
      skip: f.readOnly.skip
    }
  ]
}
