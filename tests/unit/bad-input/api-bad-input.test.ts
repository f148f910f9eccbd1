// Runs in Node (Vitest): the bad-input corpus (corpus.ts) through browser mode's real server — the API over the
// WebSocket (video.open, project.addVideos, labels.import, track.start, evaluation.start) and the upload route —
// on a real backend, real ffmpeg and real files. Each case must get the answer api-rows.ts documents, leave
// nothing half-written (no file of a refused video or upload, no change from a refused import), and never take
// the server down; the suite prints one line of counts per entry point.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBrowserServer, type BrowserServer } from '../../../src/backend/hosts/browser-server'
import { locateFfmpeg } from '../../../src/backend/ffmpeg/locate'
import { createBackend, type Backend } from '../../../src/backend/services'
import { UPLOAD_TOKEN_HEADER, UPLOAD_VIDEO_PATH } from '@shared/project/video-files'
import {
  IMPORT_ANSWERS,
  MODEL_ANSWERS,
  uploadAnswer,
  VIDEO_ANSWERS,
  type Expected,
  type ImportAnswer
} from './api-rows'
import { goodLabels, LABEL_FILES, makeVideos, pseudoRandomBytes, type VideoCorpus } from './corpus'
import { filesUnder, summaryLine, type Verdict } from './harness'
import { connect, type Answer, type WsClient } from './ws-client'

const ROOT = path.resolve(__dirname, '../../..')
const BUNDLED_MODEL = path.join(ROOT, 'resources', 'models', 'mmfnet-small.onnx')
const STACK = /\n\s+at .+[(\s].*:\d+:\d+/

const dir = mkdtempSync(path.join(os.tmpdir(), 'bad-input-api-'))
const project = path.join(dir, 'project')
const modelsDir = path.join(dir, 'cache', 'models')

interface Case {
  entry: 'API' | 'upload route'
  name: string
  verdict: Verdict
  /** What went wrong, for the failure message. */
  detail: string
}
const cases: Case[] = []
let backend: Backend
let server: BrowserServer
let api: WsClient
let videos: VideoCorpus

/** A crash: the connection gone, an internal error, a stack trace in the words, or an answer that is no answer. */
function crashed(a: Answer): boolean {
  return (
    !a.ok &&
    (a.error.code === 'connection-lost' || a.error.code === 'internal' || STACK.test(a.error.message))
  )
}

function judge(a: Answer, want: Expected): { verdict: Verdict; detail: string } {
  const said = a.ok ? 'ok' : `${a.error.code}: ${a.error.message}`
  if (crashed(a)) return { verdict: 'crash', detail: said }
  const right = 'ok' in want ? a.ok : !a.ok && a.error.code === want.code && want.says.test(a.error.message)
  return { verdict: right ? 'clear' : 'wrong', detail: said }
}

function record(entry: Case['entry'], name: string, v: { verdict: Verdict; detail: string }): void {
  cases.push({ entry, name, ...v })
}

async function must(method: string, params: unknown): Promise<unknown> {
  const a = await api.call(method, params)
  if (!a.ok) throw new Error(`${method}: ${a.error.code}: ${a.error.message}`)
  return a.result
}

async function clipCounts(clipId: string): Promise<string> {
  const lib = (await must('project.library', {})) as { matches: { clips: { clipId: string }[] }[] }
  return JSON.stringify(lib.matches.flatMap((m) => m.clips).find((c) => c.clipId === clipId))
}

async function videoCases(): Promise<void> {
  for (const [name, file] of Object.entries(videos) as [keyof VideoCorpus, string][]) {
    const want = VIDEO_ANSWERS[name]
    record('API', `video.open ${name}`, judge(await api.call('video.open', { path: file }), want))
    // Each in its own match: a refused one must leave its match without a file.
    const match = `add-${name}`
    const a = await api.call('project.addVideos', { match, paths: [file], mode: 'copy' })
    const v = judge(a, want)
    const left = filesUnder(path.join(project, match))
    if (v.verdict === 'clear' && !a.ok && left.length) {
      record('API', `project.addVideos ${name}`, { verdict: 'wrong', detail: `left ${left.join(', ')}` })
    } else record('API', `project.addVideos ${name}`, v)
  }
}

async function importCases(clipId: string): Promise<void> {
  mkdirSync(path.join(dir, 'labels'), { recursive: true })
  for (const [name, text] of Object.entries(LABEL_FILES)) {
    const want: ImportAnswer = IMPORT_ANSWERS[name]!
    const file = path.join(dir, 'labels', `${name}_ball.csv`)
    writeFileSync(file, text)
    const before = await clipCounts(clipId)
    const a = await api.call('labels.import', { clipId, path: file, apply: true })
    if (!a.ok) {
      record('API', `labels.import ${name}`, {
        verdict: crashed(a) ? 'crash' : 'wrong',
        detail: `${a.error.code}: ${a.error.message}`
      })
      continue
    }
    const r = a.result as { applied: boolean; notApplied: string | null; issues: { message: string }[] }
    r.issues.sort((x, y) => (want.issue?.test(y.message) ? 1 : 0) - (want.issue?.test(x.message) ? 1 : 0))
    const issueOk = want.issue === null ? r.issues.length === 0 : want.issue.test(r.issues[0]?.message ?? '')
    const after = await clipCounts(clipId)
    const right = want.applied
      ? r.applied && issueOk
      : !r.applied && want.notApplied.test(r.notApplied ?? '') && issueOk && after === before
    record('API', `labels.import ${name}`, { verdict: right ? 'clear' : 'wrong', detail: JSON.stringify(r) })
    // Undone, so every file meets the same unlabelled clip.
    const undo = (r as unknown as { undo: unknown[] }).undo
    if (r.applied) await must('labels.edit', { clipId, edits: undo })
  }
}

async function modelCases(clipVideo: string): Promise<void> {
  mkdirSync(modelsDir, { recursive: true })
  const real = readFileSync(BUNDLED_MODEL)
  const bytes: Record<string, Buffer> = {
    random: pseudoRandomBytes(4096, 3),
    text: Buffer.from('not a model\n'.repeat(100)),
    empty: Buffer.alloc(0),
    truncated: real.subarray(0, Math.floor(real.length / 2))
  }
  for (const [name, says] of Object.entries(MODEL_ANSWERS)) {
    const model = path.join(modelsDir, `${name}.onnx`)
    writeFileSync(model, bytes[name]!)
    const want: Expected = { code: 'bad-request', says }
    record(
      'API',
      `track.start model ${name}`,
      judge(await api.call('track.start', { path: clipVideo, model }), want)
    )
    const e = await api.call('evaluation.start', { model, provider: 'cpu' })
    record('API', `evaluation.start model ${name}`, judge(e, want))
  }
}

async function uploadCases(): Promise<void> {
  const staging = path.join(project, '.studio', 'uploads')
  for (const [name, file] of Object.entries(videos) as [keyof VideoCorpus, string][]) {
    const want = uploadAnswer(name)
    const q = new URLSearchParams({ match: 'uploads', name: path.basename(file) })
    const before = filesUnder(path.join(project, 'uploads'))
    let status = 0
    let text = ''
    try {
      const r = await fetch(`http://127.0.0.1:${server.port}${UPLOAD_VIDEO_PATH}?${q}`, {
        method: 'POST',
        headers: { [UPLOAD_TOKEN_HEADER]: server.token, 'Content-Type': 'application/octet-stream' },
        body: readFileSync(file)
      })
      status = r.status
      text = await r.text()
    } catch (err) {
      text = String(err)
    }
    const after = filesUnder(path.join(project, 'uploads'))
    const leftovers = [
      ...filesUnder(staging),
      ...(status === 200 ? [] : after.filter((f) => !before.includes(f)))
    ]
    const detail = `${status} ${text.slice(0, 300)}${leftovers.length ? ` left ${leftovers.join(', ')}` : ''}`
    const crash = status === 0 || status >= 500 || STACK.test(text)
    const right = status === want.status && want.says.test(text) && leftovers.length === 0
    record('upload route', name, { verdict: crash ? 'crash' : right ? 'clear' : 'wrong', detail })
  }
}

beforeAll(async () => {
  const ff = await locateFfmpeg()
  videos = await makeVideos(path.join(dir, 'videos'), ff.ffmpegPath)
  backend = await createBackend({ host: 'browser', version: 'test', cacheDir: path.join(dir, 'cache') })
  server = await startBrowserServer({ backend, rendererDir: path.join(dir, 'renderer') })
  api = await connect(server.port, server.token)
  await must('project.create', { dir: project })
  // Two clips of the good video: one labelled (evaluation needs labels), one bare for the imports.
  const added = (await must('project.addVideos', {
    match: 'm',
    paths: [videos.good, videos.good],
    mode: 'copy'
  })) as {
    added: { clipId: string; videoPath: string }[]
  }
  const [labelled, bare] = added.added
  await must('clip.open', { clipId: labelled!.clipId })
  await must('clip.open', { clipId: bare!.clipId })
  writeFileSync(path.join(dir, 'good_ball.csv'), goodLabels().join('\n') + '\n')
  await must('labels.import', {
    clipId: labelled!.clipId,
    path: path.join(dir, 'good_ball.csv'),
    apply: true
  })
  await videoCases()
  await importCases(bare!.clipId)
  await modelCases(labelled!.videoPath)
  await uploadCases()
}, 600_000)

afterAll(async () => {
  for (const entry of ['API', 'upload route'] as const) {
    const of = cases.filter((c) => c.entry === entry)
    if (of.length)
      console.log(
        summaryLine(
          entry,
          of.map((c) => c.verdict)
        )
      )
  }
  api?.close()
  await backend?.handlers['project.close']({})
  await server?.close()
  backend?.dispose()
  rmSync(dir, { recursive: true, force: true })
})

describe('bad input through the API and the upload route', () => {
  it('tried every case', () => {
    expect(cases.length).toBe(2 * 14 + Object.keys(LABEL_FILES).length + 2 * 4 + 14)
  })

  it('answers each case as documented, changing nothing on a refusal', () => {
    const bad = cases.filter((c) => c.verdict !== 'clear')
    expect(bad.map((c) => `${c.entry} ${c.name}: ${c.verdict}: ${c.detail}`)).toEqual([])
  })

  it('still answers afterwards, on the same connection', async () => {
    expect(api.open()).toBe(true)
    expect((await api.call('app.info', {})).ok).toBe(true)
    expect(existsSync(path.join(project, '.studio'))).toBe(true)
    expect(readdirSync(path.join(project, 'uploads', 'video')).length).toBeGreaterThan(0)
  })
})
