// Runs in Node (Vitest): file access limited to what the person opened or chose, through browser mode's real
// server (HTTP + WebSocket) over a real backend, real files and real symlinks. The backend's home and temporary
// folders are pointed at folders of this test, so "outside" is a folder the test owns: a method that wrongly
// wrote there would write nowhere that matters. Each refusal is 'forbidden', names the path, and leaves
// nothing behind; what the person opened or chose still works.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBrowserServer, type BrowserServer } from '../../../src/backend/hosts/browser-server'
import { createBackend, type Backend } from '../../../src/backend/services'
import { makeTestVideo } from '../../helpers/test-videos'
import { connect, type Answer, type WsClient } from '../bad-input/ws-client'

const root = mkdtempSync(path.join(os.tmpdir(), 'api-scope-'))
const home = path.join(root, 'home')
const tmp = path.join(root, 'tmp')
const outside = path.join(root, 'outside')
const project = path.join(home, 'projects', 'my project')
const victim = path.join(outside, 'victim')
const labelsCsv = 'Frame,Visibility,X,Y\n0,1,10,20\n1,0,0,0\n'
/** A system file outside every root and the reach (read only, never written). */
const SYSTEM_FILE = process.platform === 'win32' ? 'C:\\Windows\\win.ini' : '/etc/passwd'

let backend: Backend
let server: BrowserServer
let api: WsClient
let clipId: string
let clipVideo: string

beforeAll(async () => {
  for (const d of [home, tmp, victim, path.join(home, '.config')]) mkdirSync(d, { recursive: true })
  clipVideo = await makeTestVideo('cfr', home, { frames: 6, width: 64, height: 48, name: 'clip.mp4' })
  copyFileSync(clipVideo, path.join(outside, 'never-opened.mp4'))
  writeFileSync(path.join(outside, 'secret.csv'), labelsCsv)
  writeFileSync(path.join(outside, 'model.onnx'), 'not opened, not chosen')
  writeFileSync(path.join(home, 'labels.csv'), labelsCsv)
  const saved = { HOME: process.env.HOME, TMPDIR: process.env.TMPDIR, USERPROFILE: process.env.USERPROFILE }
  Object.assign(process.env, { HOME: home, TMPDIR: tmp, USERPROFILE: home })
  try {
    backend = await createBackend({ host: 'browser', version: 'test', cacheDir: path.join(tmp, 'cache') })
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]
    for (const [k, v] of Object.entries(saved)) if (v !== undefined) process.env[k] = v
  }
  server = await startBrowserServer({ backend, rendererDir: path.join(root, 'renderer') })
  api = await connect(server.port, server.token)
  ok(await api.call('project.create', { dir: project }))
  const added = ok(await api.call('project.addVideos', { match: 'm1', paths: [clipVideo], mode: 'copy' }))
  clipId = (added as { added: { clipId: string }[] }).added[0]!.clipId
  ok(await api.call('clip.open', { clipId }))
  symlinkSync(path.join(outside, 'secret.csv'), path.join(project, 'link.csv'))
  symlinkSync(victim, path.join(project, 'link-dir'))
}, 120_000)

afterAll(async () => {
  api?.close()
  await backend?.handlers['project.close']({})
  await server?.close()
  backend?.dispose()
  rmSync(root, { recursive: true, force: true })
})

function ok(a: Answer): unknown {
  if (!a.ok) throw new Error(`${a.error.code}: ${a.error.message}`)
  return a.result
}

/** The request is refused as forbidden, naming `names`; the connection stays up. */
async function forbidden(method: string, params: unknown, names: string): Promise<string> {
  const a = await api.call(method, params)
  expect(a.ok, JSON.stringify(a)).toBe(false)
  if (a.ok) return ''
  expect(a.error.code, a.error.message).toBe('forbidden')
  expect(a.error.message).toContain(names)
  expect(api.open()).toBe(true)
  return a.error.message
}

describe('paths outside what the person opened or chose', () => {
  it.skipIf(!existsSync(SYSTEM_FILE))('refuses a system file, without a byte of it', async () => {
    const said = await forbidden('labels.import', { clipId, path: SYSTEM_FILE }, SYSTEM_FILE)
    expect(said).toMatch(/open the folder that holds it as a project/)
    expect(said).not.toMatch(/root:|\[fonts\]/)
    await forbidden('track.start', { path: SYSTEM_FILE }, SYSTEM_FILE)
  })

  it('refuses a label file elsewhere on the machine, and ../ that climbs out of the project to it', async () => {
    await forbidden('labels.import', { clipId, path: path.join(outside, 'secret.csv') }, 'secret.csv')
    const climb = `${project}${path.sep}..${path.sep}..${path.sep}..${path.sep}outside${path.sep}secret.csv`
    await forbidden('labels.import', { clipId, path: climb, apply: true }, path.join(outside, 'secret.csv'))
  })

  it('follows symlinks out of the project: reading through one, writing through a linked folder', async () => {
    const said = await forbidden(
      'labels.import',
      { clipId, path: path.join(project, 'link.csv') },
      'link.csv'
    )
    expect(said).toContain(path.join(outside, 'secret.csv'))
    const target = path.join(project, 'link-dir', 'labels.csv')
    await forbidden('labels.export', { clipId, format: 'tracknet', path: target }, target)
    await forbidden('dataset.export', { dir: path.join(project, 'link-dir', 'set') }, 'link-dir')
    expect(readdirSync(victim)).toEqual([])
  })

  it('refuses writing outside, and into a hidden folder of the home', async () => {
    await forbidden('labels.export', { clipId, format: 'tracknet', path: path.join(victim, 'a.csv') }, victim)
    const rc = path.join(home, '.config', 'autostart.csv')
    await forbidden('labels.export', { clipId, format: 'tracknet', path: rc }, rc)
    await forbidden('dataset.export', { dir: path.join(outside, 'exported') }, outside)
    expect(readdirSync(victim)).toEqual([])
    expect(readdirSync(path.join(home, '.config'))).toEqual([])
    expect(existsSync(path.join(outside, 'exported'))).toBe(false)
  })

  it('tracks, trains and evaluates only what was opened, with models of the studio or the project', async () => {
    await forbidden('track.start', { path: path.join(outside, 'never-opened.mp4') }, 'never-opened.mp4')
    const model = path.join(outside, 'model.onnx')
    await forbidden('track.start', { path: path.join(project, 'm1', 'video', 'clip.mp4'), model }, model)
    await forbidden('evaluation.start', { model }, model)
    await forbidden('evaluation.start', { compare: { model } }, model)
    await forbidden('training.start', { minutes: 1, base: model }, model)
  })

  it('lets the picker browse the home and the way up to it, not other folders', async () => {
    ok(await api.call('fs.list', { dir: home }))
    ok(await api.call('fs.list', { dir: root }))
    await forbidden('fs.list', { dir: outside }, outside)
    await forbidden('fs.list', { dir: path.join(home, '.config') }, '.config')
  })
})

describe('what the person opened or chose', () => {
  it('imports from the home folder and exports into the project and the temporary folder', async () => {
    const r = ok(await api.call('labels.import', { clipId, path: path.join(home, 'labels.csv') }))
    expect((r as { format: string }).format).toBe('tracknet')
    const into = path.join(project, 'exported clip.csv')
    ok(await api.call('labels.export', { clipId, format: 'tracknet', path: into }))
    expect(existsSync(into)).toBe(true)
    ok(await api.call('labels.export', { clipId, format: 'tracknet', path: path.join(tmp, 'clip.csv') }))
  })

  it('grants a video once it is opened, wherever it is', async () => {
    const loose = path.join(outside, 'never-opened.mp4')
    ok(await api.call('video.open', { path: loose }))
    // Past the scope: the model is what is wrong now, not the video.
    const a = await api.call('track.start', { path: loose, model: 'no-such-model' })
    expect(a.ok).toBe(false)
    if (!a.ok) expect(a.error.code).not.toBe('forbidden')
  })

  it('grants a project folder once it is opened or made, wherever it is', async () => {
    const elsewhere = path.join(outside, 'second project')
    ok(await api.call('project.create', { dir: elsewhere }))
    writeFileSync(path.join(elsewhere, 'labels.csv'), labelsCsv)
    ok(await api.call('fs.list', { dir: elsewhere }))
    const added = ok(await api.call('project.addVideos', { match: 'm', paths: [clipVideo], mode: 'copy' }))
    const second = (added as { added: { clipId: string }[] }).added[0]!.clipId
    ok(await api.call('clip.open', { clipId: second }))
    ok(await api.call('labels.import', { clipId: second, path: path.join(elsewhere, 'labels.csv') }))
  })
})
