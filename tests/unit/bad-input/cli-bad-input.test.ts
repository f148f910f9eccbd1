// Runs in Node (Vitest): the bad-input suite. A corpus made here (corpus.ts) goes through the real command
// line (`node bin/shuttle-studio.cjs`, cli-build.ts): each row of track-rows.ts and label-rows.ts must exit
// with its documented code, say what is wrong, not crash, and leave no half-written file behind.
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { locateFfmpeg } from '../../../src/backend/ffmpeg/locate'
import { makeModel, modelToolsMissing } from '../tracking/fixtures'
import { buildCli, removeCli, runCli, type CliBuild } from './cli-build'
import { goodPredictions, LABEL_FILES, makeVideos, pseudoRandomBytes, type VideoCorpus } from './corpus'
import {
  cliVerdict,
  filesUnder,
  fullDiskSkip,
  partialFiles,
  readOnlyPlan,
  runRows,
  summaryLine,
  type Outcome,
  type Row,
  type Verdict
} from './harness'
import {
  ANALYSE_EXITS,
  ANALYSE_FILES,
  analyseRows,
  EVAL_EXITS,
  evalRows,
  type LabelFixtures
} from './label-rows'
import { TRACK_EXITS, trackRows, type TrackFixtures } from './track-rows'

const ROOT = path.resolve(__dirname, '../../..')
const BUNDLED_MODEL = path.join(ROOT, 'resources', 'models', 'mmfnet-small.onnx')
const modelsMissing = await modelToolsMissing()
if (modelsMissing)
  console.warn(`bad-input: the test models cannot be made (${modelsMissing}); using the bundled model`)

const dir = mkdtempSync(path.join(os.tmpdir(), 'bad-input-'))
const videos = Object.fromEntries(
  Object.entries({
    good: 'good.mp4',
    longer: 'longer.mp4',
    empty: 'empty.mp4',
    text: 'text.mp4',
    random: 'random.mp4',
    truncated: 'truncated.mp4',
    corruptMiddle: 'corrupt-middle.mp4',
    audioOnly: 'audio-only.mp4',
    oneFrame: 'one-frame.mp4',
    rotated: 'rotated.mp4',
    oddSize: 'odd-size.mp4',
    oddRate: 'odd-rate.mp4',
    ntsc: 'ntsc.mp4',
    unicode: path.join('folder with spaces ñ 中文', 'clip éà 試合 1.mp4')
  }).map(([k, v]) => [k, path.join(dir, 'videos', v)])
) as unknown as VideoCorpus
const models = path.join(dir, 'models')
const aFile = path.join(dir, 'a-file.txt')
const readOnlyDir = path.join(dir, 'read-only')
const readOnly = readOnlyPlan()
const labelFile = (name: string): string => path.join(dir, 'labels', `${name}_ball.csv`)
const evalRoot = (labels: string): string => path.join(dir, 'roots', labels)
const evalRootWithVideo = (video: keyof VideoCorpus): string => path.join(dir, 'video-roots', video)

const trackFixtures: TrackFixtures = {
  dir,
  videos,
  model: modelsMissing ? BUNDLED_MODEL : path.join(models, 'ka.onnx'),
  badModels: {
    random: path.join(models, 'random.onnx'),
    text: path.join(models, 'text.onnx'),
    empty: path.join(models, 'empty.onnx'),
    truncated: path.join(models, 'truncated.onnx')
  },
  foreignModel: modelsMissing ? null : path.join(models, 'no-metadata.onnx'),
  aFile,
  readOnlyDir,
  readOnly,
  fullDiskSkip: fullDiskSkip()
}
const labelFixtures: LabelFixtures = {
  dir,
  videos,
  evalRoot,
  evalRootWithVideo,
  predDir: path.join(dir, 'pred'),
  labelFile,
  aFile,
  readOnlyDir,
  readOnly,
  fullDiskSkip: fullDiskSkip(),
  previousResults: path.join(dir, 'previous-results'),
  unicodeRoot: path.join(dir, 'root ñ 中文'),
  unicodePred: path.join(dir, 'pred ü 予測')
}
const tables: [string, Row[], readonly number[]][] = [
  ['track', trackRows(trackFixtures), TRACK_EXITS],
  ['eval', evalRows(labelFixtures), EVAL_EXITS],
  ['analyse', analyseRows(labelFixtures), ANALYSE_EXITS]
]

/** A TrackNet root with one clip, m/video/a.mp4 and m/csv/a_ball.csv. */
function makeRoot(root: string, video: string, labels: string | Buffer, clip = 'a'): void {
  const match = path.join(root, 'm')
  mkdirSync(path.join(match, 'video'), { recursive: true })
  mkdirSync(path.join(match, 'csv'), { recursive: true })
  copyFileSync(video, path.join(match, 'video', `${clip}.mp4`))
  writeFileSync(path.join(match, 'csv', `${clip}_ball.csv`), labels)
}

let cli: CliBuild | undefined
const results = new Map<string, Map<string, Outcome>>()
let previous: Record<string, string> = {}
/** Each row's verdict, by table and name, for the summary line. */
const verdicts = new Map<string, Verdict>()

beforeAll(async () => {
  const ff = await locateFfmpeg()
  const [build] = await Promise.all([buildCli(), makeVideos(path.join(dir, 'videos'), ff.ffmpegPath)])
  cli = build
  mkdirSync(models, { recursive: true })
  writeFileSync(trackFixtures.badModels.random, pseudoRandomBytes(4096, 3))
  writeFileSync(trackFixtures.badModels.text, 'not a model\n'.repeat(100))
  writeFileSync(trackFixtures.badModels.empty, '')
  if (!modelsMissing) await makeModel(models, 'ka')
  const real = readFileSync(BUNDLED_MODEL)
  writeFileSync(trackFixtures.badModels.truncated, real.subarray(0, Math.floor(real.length / 2)))
  if (!modelsMissing) await makeModel(models, 'no-metadata', ['--variant', 'no-metadata'])
  writeFileSync(aFile, 'a file, not a folder\n')
  mkdirSync(path.join(dir, 'labels'), { recursive: true })
  for (const [name, text] of Object.entries(LABEL_FILES)) {
    writeFileSync(labelFile(name), text)
    makeRoot(evalRoot(name), videos.good, text)
  }
  for (const v of ['text', 'empty', 'audioOnly', 'truncated'] as const)
    makeRoot(evalRootWithVideo(v), videos[v], LABEL_FILES.good!)
  mkdirSync(labelFixtures.predDir, { recursive: true })
  writeFileSync(path.join(labelFixtures.predDir, 'a.csv'), goodPredictions())
  makeRoot(path.join(labelFixtures.unicodeRoot), videos.unicode, LABEL_FILES.good!, 'clip 試合')
  mkdirSync(labelFixtures.unicodePred, { recursive: true })
  writeFileSync(path.join(labelFixtures.unicodePred, 'clip 試合.csv'), goodPredictions())
  const cache = path.join(dir, 'cache')
  mkdirSync(cache, { recursive: true })
  mkdirSync(readOnlyDir, { recursive: true })
  chmodSync(readOnlyDir, 0o555)
  if (readOnly.uid !== undefined) {
    // The user the read-only rows run as must reach the command, the corpus and a cache folder.
    for (const d of [dir, cli.dir, path.dirname(cli.dir)]) chmodSync(d, 0o755)
    chmodSync(cache, 0o777)
    // Where the checkout or Node itself lies in a folder that user cannot enter, say so instead of failing.
    const probe = await runCli(cli, ['--help'], { uid: readOnly.uid })
    if (probe.code !== 0) {
      const why = `running as root, and user ${readOnly.uid} cannot run the command from here (${probe.stderr.trim().split('\n')[0]})`
      for (const [, rows] of tables) for (const r of rows) if (r.run?.uid !== undefined) r.skip = why
    }
  }
  const env = { SHUTTLE_CACHE_DIR: cache }
  const good = await runCli(
    cli,
    ['analyse', '--track', labelFile('good'), '--video', videos.good, '--out', labelFixtures.previousResults],
    { env }
  )
  expect(good.code, good.stderr).toBe(0)
  previous = Object.fromEntries(
    ANALYSE_FILES.map((f) => [f, readFileSync(path.join(labelFixtures.previousResults, f), 'utf8')])
  )
  for (const [name, rows, exits] of tables) results.set(name, await runRows(cli, rows, exits, env))
}, 600_000)

afterAll(() => {
  if (verdicts.size) console.log(summaryLine('CLI', verdicts.values()))
  if (existsSync(readOnlyDir)) chmodSync(readOnlyDir, 0o755)
  rmSync(dir, { recursive: true, force: true })
  removeCli(cli)
})

for (const [name, rows] of tables) {
  describe(`bad input: shuttle-studio ${name}`, () => {
    it.for(rows)('$name', (row, ctx) => {
      // A row may learn in beforeAll that it cannot run here: read its skip from the table, not the copy.
      const skip = rows.find((r) => r.name === row.name)?.skip
      if (skip) return ctx.skip(skip)
      const o = results.get(name)?.get(row.name)
      if (!o) throw new Error(`${row.name} did not run`)
      verdicts.set(`${name} ${row.name}`, cliVerdict(row, o))
      const said = `${o.stderr}${o.stdout}`
      expect(o.crashed, `it crashed (exit ${o.code}):\n${said}`).toBe(false)
      expect(o.code, said).toBe(row.code)
      expect(said).toMatch(row.says)
      for (const d of row.outputs ?? []) {
        expect(partialFiles(d), `half-written files in ${d}`).toEqual([])
        if (row.code !== 0) expect(filesUnder(d), `files left in ${d} by a failed run`).toEqual([])
      }
      for (const w of row.writes ?? [])
        expect(readFileSync(w.file, 'utf8').trim().split('\n')).toHaveLength(w.lines)
      if (name === 'analyse' && row.run?.fileSizeLimitKiB !== undefined) {
        // The previous good results are still there, whole, and nothing else is.
        for (const f of ANALYSE_FILES)
          expect(readFileSync(path.join(labelFixtures.previousResults, f), 'utf8')).toBe(previous[f])
        expect(filesUnder(labelFixtures.previousResults)).toEqual([...ANALYSE_FILES].sort())
      }
    })
  })
}
