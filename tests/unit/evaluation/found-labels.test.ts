// Runs in Node (Vitest): the Evaluate tab and `shuttle-studio eval` on the same files give the same counts when
// the ground truth was put into the project by hand — one clip tracked in the studio before its labels were
// copied in (the labels' "not visible" rows agree with many of the model's), one clip never opened. Real
// generated video, the bundled model through onnxruntime-node, the real backend and the eval command.
import { copyFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { locateFfmpeg } from '../../../src/backend/ffmpeg/locate'
import type { RectifiedPoint } from '../../../src/backend/tracking/rectify'
import { rectifiedCsv } from '../../../src/backend/tracking/track-outputs'
import { runEval } from '../../../src/cli/commands/eval'
import type { Result } from '@shared/api/contract'
import { readLabelCsv } from '@shared/labels/read'
import type { Counts } from '@shared/metrics'
import { acceptFrames } from '@shared/project/edits'
import type { FramePatch } from '@shared/project/schemas'
import type { LabelledMatch } from './fixture'
import { startLabelledBackend, type Call, type LabelledBackend } from './labelled-backend'

let dir: string
let data: LabelledMatch
let env: LabelledBackend | undefined

const call: Call = (method, params) => env!.call(method, params)

async function finished(jobId: string): Promise<Result<'evaluation.result'>> {
  for (;;) {
    const r = await call('evaluation.result', { jobId })
    if (r.state !== 'running') return r
    await new Promise((res) => setTimeout(res, 100))
  }
}

const countsOf = (f: Counts): Counts => ({ TP: f.TP, FP1: f.FP1, FP2: f.FP2, FN: f.FN, TN: f.TN })

/** The tracker's points of a clip as the studio applies them: every frame the model's, unreviewed. */
async function modelPatches(predDir: string, clip: string): Promise<FramePatch[]> {
  const pred = readLabelCsv(await readFile(path.join(predDir, `${clip}.csv`), 'utf8')).points
  return pred.map((p) => ({
    visibility: p.visible ? 'visible' : 'hidden',
    x: p.visible ? p.x : 0,
    y: p.visible ? p.y : 0,
    source: 'model',
    review: 'unreviewed',
    confidence: Math.min(1, Math.max(0, p.confidence ?? 0))
  }))
}

interface CliClips {
  overall: Counts & { F1: number }
  clips: (Counts & { clip: string; frames: number })[]
  warnings: { message: string }[]
}

/**
 * Tracks a video with the studio's own tracker and writes the track as `shuttle-studio track` does
 * (rectifiedCsv). The Evaluate tab then finds that track in the tracking cache, so both sides score the same
 * predictions whatever model precision the tracker chose on this machine.
 */
async function studioTrack(video: string, predDir: string): Promise<void> {
  const { jobId } = await call('track.start', { path: video, provider: 'cpu' })
  let r: Result<'track.result'>
  while ((r = await call('track.result', { jobId })).state === 'running' || r.state === 'queued')
    await new Promise((res) => setTimeout(res, 100))
  expect(r.state).toBe('done')
  await mkdir(predDir, { recursive: true })
  const name = path.basename(video, path.extname(video))
  await writeFile(path.join(predDir, `${name}.csv`), rectifiedCsv(r.points as RectifiedPoint[]))
}

async function cliEval(predDir: string, gt: string): Promise<CliClips> {
  let out = ''
  const code = await runEval(
    { pred: predDir, gt, json: true },
    { out: (t) => (out += t), err: () => undefined, ffprobe: async () => (await locateFfmpeg()).ffprobePath }
  )
  expect(code).toBe(0)
  return JSON.parse(out) as CliClips
}

beforeAll(async () => {
  env = await startLabelledBackend('found-labels-')
  ;({ dir, data } = env)
}, 240_000)

afterAll(async () => {
  await env?.stop()
})

describe('ground truth copied into a project', () => {
  let predDir = ''

  it('is counted and scored by the Evaluate tab exactly as by the eval command, and left as it was', async () => {
    // The project first knows the videos only (labels kept aside), as a user who adds labels later.
    const aside = path.join(dir, 'aside')
    await mkdir(aside)
    for (const c of data.clips) await rename(c.csv, path.join(aside, path.basename(c.csv)))
    const lib0 = await call('project.create', { dir: data.projectDir })
    const clipIds = lib0.matches[0]!.clips.map((c) => c.clipId)
    expect(lib0.matches[0]!.clips.map((c) => c.labelled)).toEqual([0, 0])

    predDir = path.join(dir, 'pred')
    for (const c of data.clips) await studioTrack(c.video, predDir)

    // The first clip tracked in the studio: every frame the model's, unreviewed (the CSV it writes has them).
    const first = data.clips[0]!
    const patches = await modelPatches(predDir, first.clip)
    await call('clip.open', { clipId: clipIds[0]! })
    await call('labels.edit', { clipId: clipIds[0]!, edits: [{ kind: 'frames', from: 0, patches }] })
    await call('project.close', {})

    // The labels copied in over what the studio wrote; the second clip was never opened.
    const truth = new Map<string, string>()
    for (const c of data.clips) {
      await copyFile(path.join(aside, path.basename(c.csv)), c.csv)
      truth.set(c.csv, await readFile(c.csv, 'utf8'))
    }
    const lib = await call('project.open', { dir: data.projectDir })
    const rows = data.clips.map((c) => readLabelCsv(truth.get(c.csv)!).points)
    expect(lib.matches[0]!.clips.map((c) => c.labelled)).toEqual(rows.map((r) => r.length))
    expect(lib.problems.filter((p) => p.includes('labels found'))).toHaveLength(2)
    expect(lib.problems.find((p) => p.startsWith(`${data.match}/${first.clip}:`))).toMatch(
      /frames set, \d+ confirmed not visible/
    )

    const cli = await cliEval(predDir, data.projectDir)

    const { jobId } = await call('evaluation.start', { provider: 'cpu' })
    const r = await finished(jobId)
    expect(r.state).toBe('done')
    const a = r.a!
    expect(a.clips.map((c) => c.clip)).toEqual(cli.clips.map((c) => c.clip))
    a.clips.forEach((c, i) => expect(countsOf(c.tracknet)).toEqual(countsOf(cli.clips[i]!)))
    expect(countsOf(a.overall.tracknet)).toEqual(countsOf(cli.overall))
    expect(a.overall.tracknet.F1).toBe(cli.overall.F1)
    // Not a degenerate case: frames both call not visible are counted (the model agreed with the labels).
    expect(cli.clips[0]!.TN).toBeGreaterThan(0)

    await call('project.close', {})
    for (const [file, text] of truth) expect(await readFile(file, 'utf8')).toBe(text)
  }, 600_000)

  it('leaves out of eval on a project the tracker guesses the studio wrote into the CSV, as the tab does', async () => {
    // A clip tracked in the studio and half reviewed: its CSV holds every frame, a person vouched for 30.
    const project = path.join(dir, 'tracked')
    const first = data.clips[0]!
    await mkdir(path.join(project, data.match, 'video'), { recursive: true })
    await copyFile(first.video, path.join(project, data.match, 'video', path.basename(first.video)))
    const lib = await call('project.create', { dir: project })
    const clipId = lib.matches[0]!.clips[0]!.clipId
    await call('clip.open', { clipId })
    const patches = await modelPatches(predDir, first.clip)
    await call('labels.edit', { clipId, edits: [{ kind: 'frames', from: 0, patches }, acceptFrames(0, 29)] })
    await call('project.close', {})
    const csv = path.join(project, data.match, 'csv', `${first.clip}_ball.csv`)
    expect(readLabelCsv(await readFile(csv, 'utf8')).points).toHaveLength(patches.length)

    await call('project.open', { dir: project })
    const { jobId } = await call('evaluation.start', { provider: 'cpu' })
    const r = await finished(jobId)
    expect(r.state).toBe('done')
    const mine = r.a!.clips[0]!
    expect(mine.evaluated).toBe(30)
    await call('project.close', {})

    const cli = await cliEval(predDir, project)
    expect(cli.clips[0]!.frames).toBe(30)
    expect(countsOf(cli.clips[0]!)).toEqual(countsOf(mine.tracknet))
    expect(cli.warnings.map((w) => w.message).join(' ')).toMatch(
      new RegExp(`${patches.length - 30} rows are the tracker's or interpolated labels nobody reviewed`)
    )
  }, 600_000)
})
