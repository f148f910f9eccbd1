// Runs in Node (Vitest): browser mode's server with a real backend — the token guards the socket and the
// frames, the renderer's folder cannot be escaped, the contract works over the WebSocket, events arrive.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startBrowserServer, type BrowserServer } from '../../../src/backend/hosts/browser-server'
import { createBackend, type Backend } from '../../../src/backend/services'
import { makeTestVideo } from '../../helpers/test-videos'

let dir: string
let backend: Backend
let server: BrowserServer
let video: string

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'browser-server-'))
  const renderer = path.join(dir, 'renderer')
  mkdirSync(renderer)
  writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>studio</title>')
  writeFileSync(path.join(dir, 'secret.txt'), 'not for the browser')
  video = await makeTestVideo('cfr', dir)
  backend = await createBackend({ host: 'browser', version: 'test', cacheDir: path.join(dir, 'cache') })
  server = await startBrowserServer({ backend, rendererDir: renderer })
})

afterAll(async () => {
  await server?.close()
  backend?.dispose()
  rmSync(dir, { recursive: true, force: true })
})

function connect(token: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?t=${encodeURIComponent(token)}`)
    ws.once('open', () => resolve(ws))
    ws.once('error', reject)
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
  })
}

function nextMessage(
  ws: WebSocket,
  predicate: (m: Record<string, unknown>) => boolean
): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const on = (data: WebSocket.RawData): void => {
      const m = JSON.parse(data.toString()) as Record<string, unknown>
      if (predicate(m)) {
        ws.off('message', on)
        resolve(m)
      }
    }
    ws.on('message', on)
  })
}

describe('browser-mode server', () => {
  it('binds to loopback and prints a URL with the token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/)
  })

  it('serves the renderer with the security headers, and nothing outside it', async () => {
    const base = `http://127.0.0.1:${server.port}`
    const index = await fetch(`${base}/`)
    expect(index.status).toBe(200)
    expect(index.headers.get('content-security-policy')).toContain("default-src 'self'")
    expect(index.headers.get('referrer-policy')).toBe('no-referrer')
    expect((await fetch(`${base}/..%2fsecret.txt`)).status).toBe(404)
    expect((await fetch(`${base}/%2e%2e/secret.txt`)).status).toBe(404)
  })

  it('refuses the socket and the frames without the right token', async () => {
    await expect(connect('wrong')).rejects.toThrow(/403/)
    const res = await fetch(`http://127.0.0.1:${server.port}/frames/abc/0.jpg?t=wrong`)
    expect(res.status).toBe(403)
  })

  it('answers the contract over the socket, pushes events, and serves frames', async () => {
    const ws = await connect(server.token)
    ws.send(JSON.stringify({ type: 'request', id: 1, method: 'app.info', params: {} }))
    const info = await nextMessage(ws, (m) => m.id === 1)
    expect(info).toMatchObject({ ok: true, result: { host: 'browser', version: 'test' } })

    ws.send('{not json')
    expect(await nextMessage(ws, (m) => m.type === 'response' && m.ok === false)).toMatchObject({
      error: { code: 'bad-request' }
    })

    const opened = nextMessage(ws, (m) => m.id === 2)
    const stateEvent = nextMessage(ws, (m) => m.type === 'event' && m.event === 'video.state')
    ws.send(JSON.stringify({ type: 'request', id: 2, method: 'video.open', params: { path: video } }))
    const reply = (await opened) as { ok: boolean; result: { videoId: string; info: { frameCount: number } } }
    expect(reply.ok).toBe(true)
    expect(await stateEvent).toMatchObject({ payload: { videoId: reply.result.videoId, state: 'open' } })

    const frameUrl = `http://127.0.0.1:${server.port}/frames/${reply.result.videoId}/5.jpg?t=${server.token}`
    const frame = await fetch(frameUrl)
    expect(frame.status).toBe(200)
    expect(frame.headers.get('content-type')).toBe('image/jpeg')
    const bytes = Buffer.from(await frame.arrayBuffer())
    expect(bytes.subarray(0, 2).toString('hex')).toBe('ffd8')

    const beyond = await fetch(frameUrl.replace('/5.jpg', `/${reply.result.info.frameCount}.jpg`))
    expect(beyond.status).toBe(400)

    // A preview of frame 100 (keyframes every 30): once the keyframes are decoded, keyframe 90, said by the
    // header, never cached (a nearer picture may come); the token guards it like the frames.
    const previewUrl = frameUrl.replace('/5.jpg', '/100.preview.jpg')
    await expect.poll(async () => (await fetch(previewUrl)).status, { timeout: 30_000 }).toBe(200)
    const preview = await fetch(previewUrl)
    expect(preview.headers.get('x-shown-frame')).toBe('90')
    expect(preview.headers.get('cache-control')).toBe('no-store')
    expect(
      Buffer.from(await preview.arrayBuffer())
        .subarray(0, 2)
        .toString('hex')
    ).toBe('ffd8')
    expect((await fetch(previewUrl.replace(server.token, 'wrong'))).status).toBe(403)
    ws.close()
  })

  it('answers a preview with 204 while nothing is near the frame yet', async () => {
    const ws = await connect(server.token)
    const other = await makeTestVideo('cfr', dir, { name: 'other.mp4' })
    const opened = nextMessage(ws, (m) => m.id === 3)
    ws.send(JSON.stringify({ type: 'request', id: 3, method: 'video.open', params: { path: other } }))
    const { result } = (await opened) as { result: { videoId: string } }
    const res = await fetch(
      `http://127.0.0.1:${server.port}/frames/${result.videoId}/100.preview.jpg?t=${server.token}`
    )
    expect(res.status).toBe(204)
    ws.close()
  })
})
