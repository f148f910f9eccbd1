// Runs in the backend (plain Node): serves the built renderer (out/renderer) to browser mode, refusing any
// path that would leave that folder.
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import path from 'node:path'
import { SECURITY_HEADERS } from '../../shared/security/csp'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json'
}

export async function serveStatic(root: string, urlPath: string, res: ServerResponse): Promise<void> {
  const rel = decodedPath(urlPath === '/' ? '/index.html' : urlPath)
  if (rel === null) {
    const message = 'Bad address: a "%" in it is not followed by two hex digits of a valid character.'
    res.writeHead(400, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': Buffer.byteLength(message)
    })
    return void res.end(message)
  }
  const file = path.resolve(root, '.' + rel)
  if (!file.startsWith(path.resolve(root) + path.sep)) return notFound(res)
  try {
    const s = await stat(file)
    if (!s.isFile()) return notFound(res)
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Content-Length': s.size,
      'Cache-Control': rel.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache'
    })
    createReadStream(file).pipe(res)
  } catch {
    notFound(res)
  }
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain' })
  res.end('Not found')
}

/** The path with its %-escapes decoded, or null when one is malformed ("/%", "/%zz", a broken UTF-8 run). */
function decodedPath(urlPath: string): string | null {
  try {
    return decodeURIComponent(urlPath)
  } catch {
    return null
  }
}
