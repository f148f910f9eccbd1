// Runs in Node (Vitest): the frame loader against a real HTTP server — a frame that never arrives fails with a
// message once its deadline passes (and its request is aborted), a retry then fetches it afresh, and a server
// that is gone or refuses says why. Decoding is the browser's job, so here a frame "decodes" to its byte count.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { FrameLoader, type DecodedFrame } from './frame-loader'

interface FrameServer {
  base: string
  requests: number
  aborted: number
  /** While true, frame requests get no answer at all, as from a stuck decoder. */
  hang: boolean
  close(): Promise<void>
}

let server: FrameServer | null = null
afterEach(async () => {
  await server?.close()
  server = null
})

async function startFrameServer(): Promise<FrameServer> {
  const state = { base: '', requests: 0, aborted: 0, hang: false } as FrameServer
  const http: Server = createServer((req, res) => {
    state.requests++
    res.on('close', () => {
      if (!res.writableFinished) state.aborted++
    })
    if (req.url === '/missing') {
      res.statusCode = 404
      res.end('No such frame: the video was closed.')
      return
    }
    if (state.hang) return
    // Previews: /preview/<n>: frame n's nearest "keyframe" (a multiple of 30), none near frame 7.
    const preview = /^\/preview\/(\d+)$/.exec(req.url ?? '')
    if (preview) {
      const n = Number(preview[1])
      if (n === 7) return void res.writeHead(204).end()
      res.setHeader('X-Shown-Frame', String(Math.round(n / 30) * 30))
    }
    res.setHeader('Content-Type', 'image/jpeg')
    res.end(Buffer.alloc(42))
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()))
  state.base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
  state.close = () =>
    new Promise<void>((resolve) => {
      http.closeAllConnections()
      http.close(() => resolve())
    })
  server = state
  return state
}

/** Stands in for createImageBitmap (absent in Node): the "bitmap" is as wide as the JPEG is long. */
const decode = async (blob: Blob): Promise<DecodedFrame> => ({
  width: blob.size,
  height: 1,
  close: () => undefined
})

describe('frame loader', () => {
  it('fails a frame that does not arrive in time, aborts its request, and fetches it again on retry', async () => {
    const s = await startFrameServer()
    // A first fetch loads Node's fetch and connects, so frame 7's request surely reaches the server in time.
    expect((await fetch(`${s.base}/frames/v/1.jpg`).then((r) => r.arrayBuffer())).byteLength).toBe(42)
    const loader = new FrameLoader((n) => `${s.base}/frames/v/${n}.jpg`, { timeoutMs: 1_000, decode })
    s.hang = true
    await expect(loader.load(7)).rejects.toThrow('Frame 7 did not arrive within 1 s')
    expect(s.requests).toBe(2)
    await expect.poll(() => s.aborted, { timeout: 10_000 }).toBe(1)
    expect(loader.peek(7)).toBeUndefined()

    s.hang = false
    const bitmap = await loader.load(7)
    expect(bitmap.width).toBe(42)
    expect(s.requests).toBe(3)
    expect(loader.peek(7)).toBe(bitmap)
  })

  it('says the backend does not answer when nothing listens, and passes on the server’s refusal', async () => {
    const s = await startFrameServer()
    const base = s.base
    const refused = new FrameLoader(() => `${base}/missing`, { timeoutMs: 5_000, decode })
    await expect(refused.load(3)).rejects.toThrow('No such frame: the video was closed.')
    await s.close()
    server = null
    const gone = new FrameLoader((n) => `${base}/frames/v/${n}.jpg`, { timeoutMs: 5_000, decode })
    await expect(gone.load(4)).rejects.toThrow(
      "Frame 4 could not be fetched: the studio's backend does not answer."
    )
  })
  it('gets a preview and the frame it shows; nothing near, a stuck server or another video give none', async () => {
    const s = await startFrameServer()
    let closed = 0
    const counting = async (blob: Blob): Promise<DecodedFrame> => ({
      ...(await decode(blob)),
      close: () => closed++
    })
    const loader = new FrameLoader((n) => `${s.base}/frames/v/${n}.jpg`, {
      timeoutMs: 1_000,
      decode: counting
    })
    expect(await loader.preview(100)).toBeNull() // no preview route given
    loader.reset(
      (n) => `${s.base}/frames/v/${n}.jpg`,
      (n) => `${s.base}/preview/${n}`
    )
    expect(await loader.preview(100)).toMatchObject({ shown: 90, bitmap: { width: 42 } })
    expect(await loader.preview(7)).toBeNull()
    // Another video while a preview was on its way: it is dropped and its bitmap closed.
    const late = loader.preview(200)
    loader.reset(
      (n) => `${s.base}/frames/w/${n}.jpg`,
      (n) => `${s.base}/preview/${n}`
    )
    expect(await late).toBeNull()
    expect(closed).toBe(1)
    s.hang = true
    expect(await loader.preview(100)).toBeNull() // after the deadline, quietly
  })
})
