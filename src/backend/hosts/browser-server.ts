// Runs in the backend (plain Node): browser mode. Serves the built renderer and frames over HTTP and the
// API contract over a WebSocket, on 127.0.0.1 by default, guarded by a random token that the printed URL
// carries. The same backend as the desktop app, so every view runs and is tested in a plain browser. Videos
// dropped on the page arrive as an HTTP upload (a page cannot tell the backend a file's path). Every route and
// the WebSocket upgrade first check that the request names this server (request-guard.ts: DNS rebinding).
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { ApiError } from '../../shared/api/errors'
import type { Backend } from '../services'
import type { Preview } from '../video/keyframe-previews'
import { parseFramePath, SHOWN_FRAME_HEADER } from '../../shared/api/frame-url'
import { SECURITY_HEADERS } from '../../shared/security/csp'
import {
  MAX_VIDEO_UPLOAD_BYTES,
  UPLOAD_TOKEN_HEADER,
  UPLOAD_VIDEO_PATH
} from '../../shared/project/video-files'
import { UploadRefused } from '../project'
import { makeRequestGuard } from './request-guard'
import { serveStatic } from './static-files'
import { makeWsEndpoint } from './ws-endpoint'

export interface BrowserServerOptions {
  backend: Backend
  rendererDir: string
  host?: string
  port?: number
  token?: string
  /** Largest video upload accepted, bytes (default MAX_VIDEO_UPLOAD_BYTES). */
  maxUploadBytes?: number
  /** Host names the server answers to besides loopback and the bound address (a name in /etc/hosts…). */
  extraHostNames?: string[]
}

export interface BrowserServer {
  url: string
  token: string
  port: number
  close(): Promise<void>
}

export async function startBrowserServer(opts: BrowserServerOptions): Promise<BrowserServer> {
  const host = opts.host ?? '127.0.0.1'
  const token = opts.token ?? randomBytes(24).toString('base64url')
  const tokenOk = (given: string | null): boolean => {
    if (!given) return false
    const a = Buffer.from(given)
    const b = Buffer.from(token)
    return a.length === b.length && timingSafeEqual(a, b)
  }

  // The port is known once the server listens (port 0 picks one); the guard reads it per request.
  let port = 0
  const guard = makeRequestGuard(host, () => port, opts.extraHostNames)
  const server = createServer((req, res) => {
    const refused = guard.refusal(req)
    if (refused) {
      res.setHeader('Connection', 'close')
      sendError(res, 403, refused)
      return void req.resume()
    }
    handleHttp(req, res).catch((err) =>
      sendError(res, 500, `The studio could not answer: ${err instanceof Error ? err.message : String(err)}`)
    )
  })
  // A large video over a slow disk may take longer than Node's default five minutes per request.
  server.requestTimeout = 60 * 60_000

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = requestUrl(req)
    if (!url) return sendError(res, 400, 'The address of this request is not a valid path.')
    if (url.pathname === UPLOAD_VIDEO_PATH) return handleUpload(req, res, url)
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, 'Only GET is served.')
    const frame = parseFramePath(url.pathname)
    if (frame) {
      if (!tokenOk(url.searchParams.get('t'))) return sendError(res, 403, 'Missing or wrong access token.')
      const abort = new AbortController()
      res.on('close', () => abort.abort())
      try {
        if (frame.preview) return sendPreview(res, opts.backend.framePreview(frame.videoId, frame.frame))
        const bytes = await opts.backend.frame(frame.videoId, frame.frame, abort.signal)
        res.writeHead(200, {
          ...SECURITY_HEADERS,
          'Content-Type': 'image/jpeg',
          'Content-Length': bytes.length,
          'Cache-Control': 'private, max-age=3600'
        })
        res.end(bytes)
      } catch (err) {
        const status =
          err instanceof ApiError && err.code === 'bad-request'
            ? 400
            : err instanceof ApiError && err.code === 'not-found'
              ? 404
              : 500
        sendError(res, status, err instanceof Error ? err.message : String(err))
      }
      return
    }
    await serveStatic(opts.rendererDir, url.pathname, res)
  }

  /** A preview never waits: the picture and the frame it shows, or 204 when nothing is near yet. */
  function sendPreview(res: ServerResponse, p: Preview | null): void {
    if (!p) {
      res.writeHead(204, { ...SECURITY_HEADERS, 'Cache-Control': 'no-store' })
      return void res.end()
    }
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'image/jpeg',
      'Content-Length': p.bytes.length,
      // A nearer picture may exist a moment later.
      'Cache-Control': 'no-store',
      [SHOWN_FRAME_HEADER]: String(p.frame)
    })
    res.end(p.bytes)
  }

  /** POST /upload/video?match=M&name=N: the body is the video, streamed into the open project. */
  async function handleUpload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    // Refused before the body is read: answer and drop the connection rather than read gigabytes nobody wants.
    const refuse = (status: number, message: string): void => {
      res.setHeader('Connection', 'close')
      sendError(res, status, message)
      req.resume()
    }
    if (req.method !== 'POST') return refuse(405, 'Upload a video with POST.')
    const given = req.headers[UPLOAD_TOKEN_HEADER]
    if (!tokenOk(typeof given === 'string' ? given : null)) {
      return refuse(403, 'Missing or wrong access token.')
    }
    const length = Number(req.headers['content-length'])
    if (req.headers['content-length'] === undefined || !Number.isSafeInteger(length) || length < 0) {
      return refuse(411, 'An upload needs a Content-Length.')
    }
    try {
      const r = await opts.backend.receiveVideo(
        {
          match: url.searchParams.get('match') ?? '',
          fileName: url.searchParams.get('name') ?? '',
          bytes: length
        },
        req,
        opts.maxUploadBytes ?? MAX_VIDEO_UPLOAD_BYTES
      )
      const body = JSON.stringify({ added: r.added })
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': Buffer.byteLength(body),
        'Cache-Control': 'no-store'
      })
      res.end(body)
    } catch (err) {
      const status =
        err instanceof UploadRefused
          ? err.status
          : err instanceof ApiError
            ? (({ 'bad-request': 400, 'not-found': 404, 'not-a-video': 415 } as Record<string, number>)[
                err.code
              ] ?? 500)
            : 500
      refuse(status, err instanceof Error ? err.message : String(err))
    }
  }

  const ws = makeWsEndpoint(opts.backend)
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // The raw socket is ours until ws takes it: a reset or a malformed handshake must not be thrown.
    socket.on('error', () => socket.destroy())
    const url = requestUrl(req)
    const refused = guard.refusal(req)
    const why = refused
      ? refused
      : url?.pathname !== '/ws'
        ? 'Not found: the studio speaks WebSocket at /ws only.'
        : !tokenOk(url.searchParams.get('t'))
          ? 'Missing or wrong access token.'
          : null
    if (why) {
      const body = Buffer.from(why)
      const head =
        'HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n' +
        `Content-Length: ${body.length}\r\n\r\n`
      socket.end(Buffer.concat([Buffer.from(head), body]))
      return
    }
    ws.accept(req, socket, head)
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, host, () => resolve())
  })
  port = (server.address() as AddressInfo).port
  const shownHost = host.includes(':') ? `[${host}]` : host
  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    token,
    port,
    close: async () => {
      ws.close()
      await new Promise<void>((r) => server.close(() => r()))
    }
  }
}

/** The request's path and query, or null when it is not one (a bare "//", an absolute URL to elsewhere…). */
function requestUrl(req: IncomingMessage): URL | null {
  const raw = req.url ?? '/'
  if (!raw.startsWith('/') || raw.startsWith('//')) return null
  try {
    return new URL(raw, 'http://localhost')
  } catch {
    return null
  }
}

function sendError(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) return void res.destroy()
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(message)
  })
  res.end(message)
}
