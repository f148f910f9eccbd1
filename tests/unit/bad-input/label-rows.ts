// Runs in Node (Vitest): the bad-input rows of `shuttle-studio eval` (exit 0 scored, 1 problems, 2 bad
// arguments) and `shuttle-studio analyse` (0 written, 1 a file cannot be read or written, 2 bad arguments):
// every broken label file as ground truth and as a track, broken videos beside them, a full disk and a
// read-only folder. Line 4 of each broken label file is the broken one, and both commands must name it.
import path from 'node:path'
import type { VideoCorpus } from './corpus'
import type { Row } from './harness'

export const EVAL_EXITS = [0, 1, 2] as const
export const ANALYSE_EXITS = [0, 1, 2] as const

export interface LabelFixtures {
  dir: string
  videos: VideoCorpus
  /** ROOT/<case>/… per label file name: a TrackNet root with one clip whose labels are that file. */
  evalRoot: (labels: string) => string
  /** A root whose one clip's video is `video` (good labels). */
  evalRootWithVideo: (video: keyof VideoCorpus) => string
  predDir: string
  labelFile: (name: string) => string
  aFile: string
  readOnlyDir: string
  readOnly: { uid?: number; skip: string | null }
  fullDiskSkip: string | null
  /** A folder holding the results of a good run, which a failed run must leave exactly as they are. */
  previousResults: string
  unicodeRoot: string
  unicodePred: string
}

/** [label file, eval exit, eval says, analyse exit, analyse says] */
type LabelCase = [string, number, RegExp, number, RegExp]

const LINE4 = /_ball\.csv:4: /
export const LABEL_CASES: LabelCase[] = [
  ['good', 0, /overall/, 0, /rallies, \d+ hits/],
  ['empty', 1, /labels cannot be read.*|The file is empty/, 1, /not a track CSV: The file is empty/],
  ['header-only', 1, /a_ball\.csv: no labelled frame/, 1, /has no readable row/],
  ['wrong-columns', 1, /is not a label header/, 1, /not a track CSV: Header "time,ball,left,top"/],
  ['missing-column', 1, LINE4, 0, /1 rows not read.*\.csv:4: Row has 3 columns/],
  [
    'nan',
    1,
    /_ball\.csv:4: Visible, but its position \(NaN, 20\)/,
    0,
    /\.csv:4: Visible, but its position \(NaN/
  ],
  ['inf', 1, /_ball\.csv:4: Visible, but its position \(Infinity/, 0, /\.csv:4: Visible, but .*\(Infinity/],
  ['huge', 1, /_ball\.csv:4: Visible at \(1000000000000, 20\)/, 0, /\.csv:4: Visible at \(1000000000000/],
  ['negative', 1, /_ball\.csv:4: Visible at \(-7, 20\): a negative position/, 0, /\.csv:4: .*negative/],
  ['off-frame', 1, /_ball\.csv:4: Visible at \(64, 20\), outside the 64×48 frame/, 0, /\.csv:4: .*outside/],
  ['frame-not-number', 1, /_ball\.csv:4: Frame "two" is not a number/, 0, /\.csv:4: Frame "two"/],
  ['bom-crlf', 0, /overall/, 0, /rallies/],
  ['duplicate', 0, /Frame 2 again/, 0, /Frame 2 again/],
  ['missing', 0, /Frame 2 is missing/, 0, /Frame 2 is missing/],
  ['unsorted', 0, /out of order/, 0, /out of order/],
  ['random', 1, /labels cannot be read|not a label header/, 1, /not a track CSV/],
  [
    'normalised-over-1',
    1,
    /_ball\.csv:4: Normalised position \(3\.5, 0\.5\) is outside 0\.\.1/,
    0,
    /outside 0\.\.1/
  ]
]

export function evalRows(f: LabelFixtures): Row[] {
  const evalOf = (gt: string, pred = f.predDir): string[] => ['eval', '--pred', pred, '--gt', gt]
  const video = (name: keyof VideoCorpus, says: RegExp): Row => ({
    name: `eval video: ${name}`,
    args: evalOf(f.evalRootWithVideo(name)),
    code: 1,
    says
  })
  return [
    ...LABEL_CASES.map(([name, code, says]) => ({
      name: `eval labels: ${name}`,
      args: evalOf(f.evalRoot(name)),
      code,
      says
    })),
    video('text', /ffprobe cannot read a video stream/),
    video('empty', /ffprobe cannot read a video stream/),
    video('audioOnly', /no video stream/),
    video('truncated', /ffprobe cannot read a video stream/),
    { name: 'eval: unicode paths', args: evalOf(f.unicodeRoot, f.unicodePred), code: 0, says: /overall/ },
    {
      name: 'eval: --pred is a file',
      args: evalOf(f.evalRoot('good'), f.aFile),
      code: 2,
      says: /is not a folder/
    },
    {
      name: 'eval: --tolerance NaN',
      args: [...evalOf(f.evalRoot('good')), '--tolerance', 'NaN'],
      code: 2,
      says: /--tolerance must be a positive number/
    },
    {
      name: 'eval: --gt missing',
      args: evalOf(path.join(f.dir, 'nowhere')),
      code: 2,
      says: /--gt .* is not a folder/
    },
    {
      name: 'eval: unknown option',
      args: [...evalOf(f.evalRoot('good')), '--fast'],
      code: 2,
      says: /unknown option/
    }
  ]
}

export const ANALYSE_FILES = ['hits.csv', 'analysis.json', 'report.html']

export function analyseRows(f: LabelFixtures): Row[] {
  const out = (name: string): string => path.join(f.dir, 'analyse-out', name)
  const analyse = (track: string, video: string, name: string, extra: string[] = []): string[] => [
    'analyse',
    '--track',
    track,
    '--video',
    video,
    '--out',
    out(name),
    ...extra
  ]
  const v = f.videos
  return [
    ...LABEL_CASES.map(([name, , , code, says]) => ({
      name: `analyse track: ${name}`,
      args: analyse(f.labelFile(name), v.good, name),
      code,
      says,
      outputs: [out(name)]
    })),
    {
      name: 'analyse video: text',
      args: analyse(f.labelFile('good'), v.text, 'v-text'),
      code: 1,
      says: /cannot read the video's frame rate and size: .*text\.mp4/,
      outputs: [out('v-text')]
    },
    {
      name: 'analyse video: audio only',
      args: analyse(f.labelFile('good'), v.audioOnly, 'v-audio'),
      code: 1,
      says: /cannot read the video's frame rate and size: .*no video/i,
      outputs: [out('v-audio')]
    },
    {
      name: 'analyse: calibration is random bytes',
      args: analyse(f.labelFile('good'), v.good, 'cal', ['--calibration', f.labelFile('random')]),
      code: 1,
      says: /random_ball\.csv: /,
      outputs: [out('cal')]
    },
    {
      name: 'analyse: unicode paths',
      args: ['analyse', '--track', f.labelFile('good'), '--video', v.unicode, '--out', out('ü 空白 out')],
      code: 0,
      says: /wrote .*ü 空白 out/
    },
    {
      name: 'analyse: no --video',
      args: ['analyse', '--track', f.labelFile('good')],
      code: 2,
      says: /missing --video/
    },
    {
      name: 'analyse: --track missing',
      args: analyse(path.join(f.dir, 'nope.csv'), v.good, 'x'),
      code: 2,
      says: /--track .*nope\.csv is not a file/
    },
    {
      name: 'analyse: --out is a file',
      args: ['analyse', '--track', f.labelFile('good'), '--video', v.good, '--out', f.aFile],
      code: 2,
      says: /--out .* is not a folder/
    },
    {
      name: 'analyse: full disk keeps the previous results',
      args: ['analyse', '--track', f.labelFile('duplicate'), '--video', v.good, '--out', f.previousResults],
      code: 1,
      says: /cannot write the results to .*nothing written/,
      run: { fileSizeLimitKiB: 0 },
      skip: f.fullDiskSkip
    },
    {
      name: 'analyse: read-only --out',
      args: ['analyse', '--track', f.labelFile('good'), '--video', v.good, '--out', f.readOnlyDir],
      code: 1,
      says: /cannot write the results to .*(permission denied|EACCES)/i,
      outputs: [f.readOnlyDir],
      run: f.readOnly.uid !== undefined ? { uid: f.readOnly.uid } : {},
      skip: f.readOnly.skip
    }
  ]
}
