// Runs in Node (Vitest): adding dropped videos to a project through the real backend — browser mode's upload
// route (bytes streamed into <match>/video, refused with a reason when not a video, too big, a duplicate, cut
// off or without the token, never leaving a partial file) and the desktop path (project.addVideos) — on real
// ffmpeg-made videos; and the project's own frame index, which travels with a copied project.
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBrowserServer, type BrowserServer } from '../../../src/backend/hosts/browser-server'
import { createBackend, type Backend } from '../../../src/backend/services'
import { spawnCounts } from '../../../src/backend/video/child-processes'
import { UPLOAD_TOKEN_HEADER, UPLOAD_VIDEO_PATH } from '@shared/project/video-files'
import { makeTestVideo } from '../../helpers/test-videos'
import { makeVideoTestDir, until } from '../../helpers/video-test-dir'

const tmp = makeVideoTestDir('video-upload')
let backend: Backend
let server: BrowserServer
let video: string
let videoBytes: Buffer
let cacheDir: string
const projectDir = path.join(tmp.dir, 'projet été')
const LIMIT_SLACK = 4096

beforeAll(async () => {
  video = await makeTestVideo('cfr', tmp.dir, { frames: 24, width: 160, height: 120, name: 'rally one.mp4' })
  videoBytes = readFileSync(video)
  // The upload route never serves files: the renderer's folder need not exist here.
  const renderer = path.join(tmp.dir, 'renderer')
  cpSync(video, path.join(tmp.dir, 'loose.mp4'))
  cacheDir = path.join(tmp.dir, 'app cache')
  backend = await createBackend({ host: 'browser', version: 'test', cacheDir })
  server = await startBrowserServer({
    backend,
    rendererDir: renderer,
    maxUploadBytes: videoBytes.length + LIMIT_SLACK
  })
})

afterAll(async () => {
  await backend?.handlers['project.close']({})
  await server?.close()
  backend?.dispose()
  tmp.remove()
})

function upload(
  match: string,
  name: string,
  body: Buffer,
  token = server.token
): Promise<{ status: number; text: string }> {
  const q = new URLSearchParams({ match, name })
  return fetch(`http://127.0.0.1:${server.port}${UPLOAD_VIDEO_PATH}?${q}`, {
    method: 'POST',
    headers: { [UPLOAD_TOKEN_HEADER]: token, 'Content-Type': 'application/octet-stream' },
    body
  }).then(async (r) => ({ status: r.status, text: await r.text() }))
}

const videoDir = (match: string) => path.join(projectDir, match, 'video')
const uploadsDir = path.join(projectDir, '.studio', 'uploads')
const staged = () => (existsSync(uploadsDir) ? readdirSync(uploadsDir) : [])
const leftovers = (match: string) => [
  ...(existsSync(videoDir(match)) ? readdirSync(videoDir(match)).filter((f) => f.startsWith('.')) : []),
  ...staged()
]
const vidx = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.vidx')) : [])

describe('dropped videos', () => {
  it('refuses an upload while no project is open', async () => {
    const r = await upload('m1', 'rally one.mp4', videoBytes)
    expect(r.status).toBe(400)
    expect(r.text).toMatch(/No project is open/)
  })

  it('uploads a video into the match; it opens as a clip, indexed inside the project', async () => {
    await backend.handlers['project.create']({ dir: projectDir })
    const r = await upload('m1', 'rally one.mp4', videoBytes)
    expect(r.status, r.text).toBe(200)
    const added = (JSON.parse(r.text) as { added: { clip: string; clipId: string; videoKind: string }[] })
      .added
    expect(added).toHaveLength(1)
    expect(added[0]).toMatchObject({ clip: 'rally one', videoKind: 'copy' })
    const stored = path.join(videoDir('m1'), 'rally one.mp4')
    expect(readFileSync(stored).equals(videoBytes)).toBe(true)
    expect(leftovers('m1')).toEqual([])

    const lib = await backend.handlers['project.library']({})
    expect(lib.matches.find((m) => m.name === 'm1')!.clips.map((c) => c.clip)).toEqual(['rally one'])
    const clip = await backend.handlers['clip.open']({ clipId: added[0]!.clipId })
    expect(clip.info.frameCount).toBe(24)
    expect((await backend.frame(clip.videoId, 23))[0]).toBe(0xff)
    // The index went into the project's .studio/index, not the app's cache folder.
    expect(vidx(path.join(projectDir, '.studio', 'index'))).toHaveLength(1)
    expect(vidx(cacheDir)).toEqual([])
    await backend.handlers['clip.close']({ clipId: added[0]!.clipId })
  })

  it('turns away a wrong token, a non-video, a duplicate and an oversized file, leaving nothing behind', async () => {
    const stored = path.join(videoDir('m1'), 'rally one.mp4')
    const wrongToken = await upload('m1', 'other.mp4', videoBytes, 'not-the-token')
    expect(wrongToken.status).toBe(403)
    const text = await upload('m1', 'notes.txt', Buffer.from('hello'))
    expect(text.status).toBe(415)
    expect(text.text).toMatch(/not a video/)
    const dup = await upload('m1', 'rally one.MP4', Buffer.concat([videoBytes, Buffer.from('x')]))
    expect(dup.status).toBe(409)
    expect(dup.text).toMatch(/Duplicate name.*rally one/)
    expect(readFileSync(stored).equals(videoBytes)).toBe(true)
    const big = await upload('m1', 'big.mp4', Buffer.alloc(videoBytes.length + LIMIT_SLACK + 1, 7))
    expect(big.status).toBe(413)
    expect(big.text).toMatch(/too big/)
    const badMatch = await upload('../escape', 'x.mp4', videoBytes)
    expect(badMatch.status).toBe(400)
    expect(readdirSync(videoDir('m1'))).toEqual(['rally one.mp4'])
    expect(existsSync(path.join(tmp.dir, 'escape'))).toBe(false)
  })

  it('refuses bytes that are no video although named .mp4, before they join the project', async () => {
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64)])
    for (const [name, body] of [
      ['notes.mp4', Buffer.from('#!/bin/sh\necho this is a script, not a video\n')],
      ['picture.mov', png],
      ['tiny.mkv', Buffer.from('1a45df', 'hex')]
    ] as const) {
      const r = await upload('m4', name, body)
      expect(r.status, name).toBe(415)
      expect(r.text).toMatch(
        /is not a video: it does not start as an MP4, QuickTime, Matroska, WebM or AVI file/
      )
    }
    // An MP4's first box, then noise: the container looks right, so ffprobe decides.
    const before = spawnCounts.ffprobe
    const fake = Buffer.concat([videoBytes.subarray(0, 32), Buffer.alloc(4096, 0x5a)])
    const probed = await upload('m4', 'fake.mp4', fake)
    expect(probed.status).toBe(415)
    expect(probed.text).toMatch(/^fake\.mp4 was not added: /)
    expect(probed.text).not.toMatch(/uploading/)
    expect(spawnCounts.ffprobe).toBeGreaterThan(before)
    // Nothing in the project: not the bytes, not even the match's folder.
    expect(existsSync(path.join(projectDir, 'm4'))).toBe(false)
    expect(staged()).toEqual([])
    const lib = await backend.handlers['project.library']({})
    expect(lib.matches.find((m) => m.name === 'm4')).toBeUndefined()
  })

  it('removes the partial file of an upload cut off midway', async () => {
    const before = spawnCounts.ffprobe
    await new Promise<void>((resolve) => {
      const q = new URLSearchParams({ match: 'm2', name: 'cut.mp4' })
      const req = request({
        host: '127.0.0.1',
        port: server.port,
        method: 'POST',
        path: `${UPLOAD_VIDEO_PATH}?${q}`,
        headers: { [UPLOAD_TOKEN_HEADER]: server.token, 'Content-Length': videoBytes.length }
      })
      req.on('error', () => resolve())
      req.write(videoBytes.subarray(0, 1000))
      // Cut off once the server has the first bytes in its temporary file.
      until(() => staged().length === 1, 30_000, 'the upload started')
        .then(() => void req.destroy())
        .then(resolve, resolve)
    })
    await until(() => staged().length === 0, 30_000, 'the partial upload removed')
    expect(existsSync(path.join(projectDir, 'm2'))).toBe(false)
    expect(spawnCounts.ffprobe).toBe(before)
  })

  it('adds a dropped file by its path (the desktop app), indexed in the project; a loose video is not', async () => {
    const { added } = await backend.handlers['project.addVideos']({
      match: 'm3',
      paths: [video],
      mode: 'reference'
    })
    expect(added[0]).toMatchObject({ clip: 'rally one', videoKind: 'reference' })
    const clip = await backend.handlers['clip.open']({ clipId: added[0]!.clipId })
    expect(clip.info.frameCount).toBe(24)
    // A reference's index lives with the project too (keyed relative to it, so it travels with it).
    expect(vidx(path.join(projectDir, '.studio', 'index'))).toHaveLength(2)
    await backend.handlers['clip.close']({ clipId: added[0]!.clipId })

    const loose = await backend.handlers['video.open']({ path: path.join(tmp.dir, 'loose.mp4') })
    expect(vidx(cacheDir)).toHaveLength(1)
    await backend.handlers['video.close']({ videoId: loose.videoId })
    // A video of the project opened by path (the Frames tab) uses the project's index: nothing new anywhere.
    const own = await backend.handlers['video.open']({ path: path.join(videoDir('m1'), 'rally one.mp4') })
    expect(vidx(path.join(projectDir, '.studio', 'index'))).toHaveLength(2)
    expect(vidx(cacheDir)).toHaveLength(1)
    await backend.handlers['video.close']({ videoId: own.videoId })
  })

  it('a copied project (new place, new file times) opens its videos without indexing them again', async () => {
    await backend.handlers['project.close']({})
    const copy = path.join(tmp.dir, 'copied elsewhere', 'projet')
    cpSync(projectDir, copy, { recursive: true, preserveTimestamps: false })
    await backend.handlers['project.open']({ dir: copy })
    const lib = await backend.handlers['project.library']({})
    const uploaded = lib.matches.find((m) => m.name === 'm1')!.clips[0]!
    const before = spawnCounts.ffprobe
    const clip = await backend.handlers['clip.open']({ clipId: uploaded.clipId })
    expect(spawnCounts.ffprobe).toBe(before)
    expect(clip.info.frameCount).toBe(24)
    expect(clip.info.path).toBe(path.join(copy, 'm1', 'video', 'rally one.mp4'))
    await backend.handlers['clip.close']({ clipId: uploaded.clipId })

    // The same name and size with other bytes is another video: indexed again, not trusted.
    const file = path.join(copy, 'm1', 'video', 'rally one.mp4')
    const changed = Buffer.from(videoBytes)
    changed.writeUInt8(changed.readUInt8(changed.length - 1) ^ 0xff, changed.length - 1)
    writeFileSync(file, changed)
    const mid = spawnCounts.ffprobe
    await backend.handlers['clip.open']({ clipId: uploaded.clipId }).catch(() => undefined)
    expect(spawnCounts.ffprobe).toBeGreaterThan(mid)
  })
})
