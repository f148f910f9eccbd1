// Runs in Node (Vitest): the evaluation methods through the real backend and dispatch (params and results
// checked against the contract) on a generated, labelled match, tracked by the bundled model through
// onnxruntime-node. The figures must be the shared metrics' on the same CSVs and the `eval` command's on the
// same data; the per-frame outcomes must add up to them; ground truth must follow who made the labels.
import { readFile, rename } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { locateFfmpeg } from '../../../src/backend/ffmpeg/locate'
import type { Backend } from '../../../src/backend/services'
import { runEval } from '../../../src/cli/commands/eval'
import { runTrack } from '../../../src/cli/commands/track'
import type { Result } from '@shared/api/contract'
import { decodeDistances, decodeOutcomes, isRightCode, outcomeCode } from '@shared/evaluation/outcome-codes'
import { readLabelCsv } from '@shared/labels/read'
import { evaluateTrack, scores, toleranceFor, type Counts } from '@shared/metrics'
import { acceptFrames } from '@shared/project/edits'
import { makeModel, modelToolsMissing } from '../tracking/fixtures'
import type { LabelledMatch } from './fixture'
import { startLabelledBackend, type Call, type LabelledBackend } from './labelled-backend'

const noKnownAnswer = await modelToolsMissing()

let dir: string
let cacheDir: string
let data: LabelledMatch
let backend: Backend
/** The second model: the known-answer one where it can be made, else the bundled one unrectified. */
let modelB: { model?: string; rectify: boolean }
let env: LabelledBackend | undefined

const call: Call = (method, params) => env!.call(method, params)

async function finished(jobId: string): Promise<Result<'evaluation.result'>> {
  const end = Date.now() + 240_000
  for (;;) {
    const r = await call('evaluation.result', { jobId })
    if (r.state !== 'running') return r
    if (Date.now() > end) throw new Error('the evaluation did not finish in time')
    await new Promise((res) => setTimeout(res, 100))
  }
}

const COUNT_KEYS = ['TP', 'FP1', 'FP2', 'FN', 'TN'] as const
const countsOf = (f: Counts): Counts => ({ TP: f.TP, FP1: f.FP1, FP2: f.FP2, FN: f.FN, TN: f.TN })

/** The parts of `eval --json` compared here. */
interface CliJson {
  F1: number
  precision: number
  recall: number
  overall: Counts & { distance: { p50: number | null } }
  matches: Counts[]
}

async function cliEval(predDir: string, strict: boolean): Promise<CliJson> {
  let out = ''
  const code = await runEval(
    { pred: predDir, gt: data.projectDir, json: true, strict },
    { out: (t) => (out += t), err: () => undefined, ffprobe: async () => (await locateFfmpeg()).ffprobePath }
  )
  expect(code).toBe(0)
  return JSON.parse(out) as CliJson
}

async function cliTrack(predDir: string, model?: string, rectify = true): Promise<void> {
  const err: string[] = []
  const code = await runTrack(
    data.clips.map((c) => c.video),
    { out: predDir, provider: 'cpu', model, rectify },
    { out: () => undefined, err: (t) => err.push(t), cacheDir, ffmpeg: () => locateFfmpeg() }
  )
  expect(err.join('\n')).toBe('')
  expect(code).toBe(0)
}

beforeAll(async () => {
  env = await startLabelledBackend('evaluation-')
  ;({ dir, cacheDir, data, backend } = env)
  modelB = noKnownAnswer
    ? { rectify: false }
    : { model: await makeModel(path.join(dir, 'models'), 'ka-bg', ['--background']), rectify: true }
}, 240_000)

afterAll(async () => {
  await env?.stop()
})

describe('evaluation', () => {
  it('refuses clearly: no project open, no such model, no such clip', async () => {
    await expect(call('evaluation.start', {})).rejects.toThrow(/No project is open/)
    await call('project.create', { dir: data.projectDir })
    await expect(call('evaluation.start', { model: 'no-such-model' })).rejects.toMatchObject({
      code: 'bad-request',
      message: expect.stringMatching(/The model cannot be used: no model "no-such-model"/)
    })
    await expect(call('evaluation.start', { clipIds: ['c-00000000'] })).rejects.toMatchObject({
      code: 'not-found'
    })
    await expect(call('evaluation.start', { tolerancePx: -1 })).rejects.toMatchObject({ code: 'bad-request' })
    await expect(call('evaluation.result', {})).rejects.toThrow(/No evaluation has run yet/)
  })

  it('can be cancelled, and says so', async () => {
    const { jobId, clips } = await call('evaluation.start', { provider: 'cpu' })
    expect(clips).toBe(2)
    await expect(call('evaluation.start', {})).rejects.toThrow(/running already/)
    expect(await call('evaluation.cancel', { jobId })).toEqual({ cancelled: true })
    const r = await finished(jobId)
    expect(r.state).toBe('cancelled')
    expect(r.message).toMatch(/Cancelled/)
    expect(r.a).toBeNull()
  })

  it('prints the figures of the shared metrics and of the eval command, per clip, match and overall', async () => {
    const progress: number[] = []
    const off = backend.events.subscribe((m) => {
      if (m.event === 'evaluation.progress') progress.push((m.payload as { clipsDone: number }).clipsDone)
    })
    const { jobId } = await call('evaluation.start', { provider: 'cpu', compare: modelB })
    const r = await finished(jobId)
    off()
    expect(r.message).toBeNull()
    expect(r.state).toBe('done')
    expect(r.clipsDone).toBe(2)
    expect(progress.at(-1)).toBe(2)
    const a = r.a!
    expect(a.model).toBe('mmfnet-small')
    expect(a.rectify).toBe(true)
    expect(a.clips.map((c) => c.clip)).toEqual(data.clips.map((c) => c.clip))

    // The shared metrics on the CSVs `shuttle-studio track` writes for the same videos (same cache).
    const predDir = path.join(dir, 'pred-a')
    await cliTrack(predDir)
    for (const [i, c] of data.clips.entries()) {
      const pred = readLabelCsv(await readFile(path.join(predDir, `${c.clip}.csv`), 'utf8')).points
      const gt = readLabelCsv(await readFile(c.csv, 'utf8')).points
      const mine = a.clips[i]!
      expect(mine.evaluated).toBe(gt.length)
      for (const mode of ['tracknet', 'strict'] as const) {
        const tau = toleranceFor({ width: 1280, height: 720 }, { mode })
        const e = evaluateTrack(pred, gt, tau)
        expect(mine.tolerance[mode]).toBe(tau)
        expect(countsOf(mine[mode])).toEqual(e.counts)
        expect(mine[mode].F1).toBe(scores(e.counts).F1)
      }
    }
    // Not a degenerate case: the model gets some frames right and some wrong.
    expect(a.overall.tracknet.TP).toBeGreaterThan(0)
    expect(a.overall.tracknet.FP1 + a.overall.tracknet.FP2 + a.overall.tracknet.FN).toBeGreaterThan(0)

    // The eval command on the project folder and those CSVs: the same figures, both tolerances.
    for (const strict of [false, true]) {
      const cli = await cliEval(predDir, strict)
      const mine = strict ? a.overall.strict : a.overall.tracknet
      expect(mine.F1).toBe(cli.F1)
      expect(mine.precision).toBe(cli.precision)
      expect(mine.recall).toBe(cli.recall)
      expect(countsOf(mine)).toEqual(countsOf(cli.overall))
      expect(mine.distance).toEqual(expect.objectContaining({ p50: cli.overall.distance.p50 }))
      expect(countsOf(strict ? a.matches[0]!.strict : a.matches[0]!.tracknet)).toEqual(
        countsOf(cli.matches[0]!)
      )
    }

    // Model B against the eval command too.
    const predB = path.join(dir, 'pred-b')
    await cliTrack(predB, modelB.model, modelB.rectify)
    expect(r.b!.overall.tracknet.F1).toBe((await cliEval(predB, false)).F1)
  })

  it('gives every frame an outcome that adds up to the table, and lists the worst and the A/B differences', async () => {
    const r = await call('evaluation.result', {})
    const a = r.a!
    const b = r.b!
    const cmp = r.comparison!
    let onlyA = 0
    let onlyB = 0
    for (const c of a.clips) {
      const f = await call('evaluation.frames', { jobId: r.jobId, clipId: c.clipId })
      const codesA = decodeOutcomes(f.a.outcomes)
      const codesB = decodeOutcomes(f.b!.outcomes)
      const dist = decodeDistances(f.a.distances, f.frameCount)
      expect(f.frameCount).toBe(c.frames)
      for (const k of COUNT_KEYS) {
        expect(codesA.filter((x) => x === outcomeCode(k)).length).toBe(c.tracknet[k])
      }
      // A distance exactly where prediction and label are both visible (TP and FP1).
      const withDistance = dist.filter((d) => !Number.isNaN(d)).length
      expect(withDistance).toBe(c.tracknet.TP + c.tracknet.FP1)
      const tau = c.tolerance.tracknet
      codesA.forEach((code, n) => {
        if (code === outcomeCode('TP')) expect(dist[n]).toBeLessThanOrEqual(tau + 1e-4)
        if (code === outcomeCode('FP1')) expect(dist[n]).toBeGreaterThan(tau - 1e-4)
      })
      // The worst FP1 of the clip is its largest distance.
      const fp1 = a.worst.filter((w) => w.clipId === c.clipId && w.outcome === 'FP1')
      if (fp1.length) {
        const largest = Math.max(...[...dist].filter((_, n) => codesA[n] === outcomeCode('FP1')))
        expect(Math.max(...fp1.map((w) => w.distance!))).toBeCloseTo(largest, 3)
        expect(codesA[fp1[0]!.frame]).toBe(outcomeCode('FP1'))
      }
      for (let n = 0; n < codesA.length; n++) {
        if (codesA[n]! < 0) continue
        if (isRightCode(codesA[n]!) && !isRightCode(codesB[n]!)) onlyA++
        if (!isRightCode(codesA[n]!) && isRightCode(codesB[n]!)) onlyB++
      }
    }
    expect(a.worst.length).toBeGreaterThan(0)
    expect({ onlyA: cmp.onlyA, onlyB: cmp.onlyB }).toEqual({ onlyA, onlyB })
    const right = (s: typeof a) => s.overall.tracknet.TP + s.overall.tracknet.TN
    expect(cmp.onlyA - cmp.onlyB).toBe(right(a) - right(b))
    expect(cmp.onlyA + cmp.onlyB + cmp.bothRight + cmp.bothWrong).toBe(a.overall.tracknet.frames)
    const listed = (side: 'A' | 'B') =>
      cmp.runs.filter((x) => x.right === side).reduce((s, x) => s + x.to - x.from + 1, 0)
    expect(listed('A')).toBe(cmp.onlyA)
    expect(listed('B')).toBe(cmp.onlyB)
  })

  it('scores only what people labelled or accepted; unknown and unreviewed model frames are left out', async () => {
    const lib = await call('project.library', {})
    const first = lib.matches[0]!.clips[0]!
    const gt = readLabelCsv(await readFile(data.clips[0]!.csv, 'utf8')).points
    // Frames 0–9 become unreviewed model predictions; 40–44 are cleared (unknown).
    await call('labels.edit', {
      clipId: first.clipId,
      edits: [
        { kind: 'range', from: 0, to: 9, patch: { source: 'model', review: 'unreviewed' } },
        { kind: 'range', from: 40, to: 44, patch: { visibility: 'unknown', source: 'none' } }
      ]
    })
    const people = await finished(
      (await call('evaluation.start', { provider: 'cpu', clipIds: [first.clipId] })).jobId
    )
    const clip = people.a!.clips[0]!
    expect(clip).toMatchObject({ evaluated: gt.length - 15, notByPeople: 10, unknown: 5 })
    const pred = readLabelCsv(await readFile(path.join(dir, 'pred-a', `${first.clip}.csv`), 'utf8')).points
    const kept = gt.filter((p) => p.frame >= 10 && (p.frame < 40 || p.frame > 44))
    const e = evaluateTrack(pred, kept, clip.tolerance.tracknet)
    expect(countsOf(clip.tracknet)).toEqual(e.counts)
    const codes = decodeOutcomes(
      (await call('evaluation.frames', { jobId: people.jobId, clipId: first.clipId })).a.outcomes
    )
    expect([...codes.slice(0, 10), ...codes.slice(40, 45)].every((x) => x === -1)).toBe(true)

    // Nothing reviewed yet: with 'reviewed' ground truth there is nothing to score, and it says why.
    const none = await finished(
      (await call('evaluation.start', { provider: 'cpu', groundTruth: 'reviewed' })).jobId
    )
    expect(none.state).toBe('failed')
    expect(none.message).toMatch(/No clip could be evaluated.*no label a person reviewed/)

    // Accept 20–29: exactly those ten frames are scored.
    await call('labels.edit', { clipId: first.clipId, edits: [acceptFrames(20, 29)] })
    const reviewed = await finished(
      (await call('evaluation.start', { provider: 'cpu', groundTruth: 'reviewed' })).jobId
    )
    expect(reviewed.state).toBe('done')
    expect(reviewed.a!.clips.map((c) => c.clip)).toEqual([first.clip])
    expect(reviewed.notes.join(' ')).toMatch(/no label a person reviewed/)
    const ten = evaluateTrack(
      pred,
      gt.filter((p) => p.frame >= 20 && p.frame <= 29),
      clip.tolerance.tracknet
    )
    expect(countsOf(reviewed.a!.overall.tracknet)).toEqual(ten.counts)
    expect(reviewed.a!.overall.tracknet.frames).toBe(10)
  })

  it('leaves out a clip whose video is gone, and refuses a project with no labels', async () => {
    const lib = await call('project.library', {})
    const [first, second] = lib.matches[0]!.clips
    await call('project.close', {})
    const video = data.clips[1]!.video
    await rename(video, `${video}.away`)
    await call('project.open', { dir: data.projectDir })
    await expect(call('evaluation.start', { clipIds: [second!.clipId] })).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringMatching(/has labels but no video: add the video to the match/)
    })
    const r = await finished((await call('evaluation.start', { provider: 'cpu' })).jobId)
    expect(r.state).toBe('done')
    expect(r.a!.clips.map((c) => c.clipId)).toEqual([first!.clipId])
    expect(r.notes.join(' ')).toMatch(/no video.*\(left out\)/)

    const bare = path.join(dir, 'bare project')
    await call('project.create', { dir: bare })
    await call('project.addVideos', { match: 'm', paths: [data.clips[0]!.video], mode: 'reference' })
    await expect(call('evaluation.start', {})).rejects.toMatchObject({
      code: 'bad-request',
      message: expect.stringMatching(/No clip of this project has labels/)
    })
  })
})
