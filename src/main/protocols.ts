// Runs in Electron's main process: the custom protocols that replace file:// — `app://` serves the built
// renderer, `studio://` serves video frames (bytes come from the backend process; main never decodes).
import { net, protocol } from 'electron'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseFramePath, SHOWN_FRAME_HEADER } from '../shared/api/frame-url'
import { CONTENT_SECURITY_POLICY } from '../shared/security/csp'
import type { BackendProcess } from './backend-process'

export const APP_ORIGIN = 'app://renderer'

/** Must run before the app is ready. */
export function registerSchemes(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    {
      scheme: 'studio',
      privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true }
    }
  ])
}

export function handleProtocols(rendererDir: string, backend: BackendProcess): void {
  const root = path.resolve(rendererDir)
  protocol.handle('app', async (req) => {
    const { pathname } = new URL(req.url)
    const file = path.resolve(root, '.' + decodeURIComponent(pathname === '/' ? '/index.html' : pathname))
    if (!file.startsWith(root + path.sep)) return new Response('Not found', { status: 404 })
    const res = await net.fetch(pathToFileURL(file).toString())
    const headers = new Headers(res.headers)
    headers.set(
      'Content-Security-Policy',
      CONTENT_SECURITY_POLICY.replace("img-src 'self'", "img-src 'self' studio:")
    )
    return new Response(res.body, { status: res.status, headers })
  })
  protocol.handle('studio', async (req) => {
    const { pathname } = new URL(req.url)
    const parsed = parseFramePath(pathname)
    if (!parsed) return new Response('Not a frame URL', { status: 400 })
    try {
      const { bytes, shown } = await backend.frame(parsed.videoId, parsed.frame, parsed.preview)
      const cors = {
        'Access-Control-Allow-Origin': APP_ORIGIN,
        'Access-Control-Expose-Headers': SHOWN_FRAME_HEADER
      }
      // No preview near yet: nothing to show, which is no error.
      if (shown < 0) return new Response(null, { status: 204, headers: cors })
      return new Response(Buffer.from(bytes), {
        headers: { ...cors, 'Content-Type': 'image/jpeg', [SHOWN_FRAME_HEADER]: String(shown) }
      })
    } catch (err) {
      return new Response((err as Error).message, {
        status: (err as { code?: string }).code === 'bad-request' ? 400 : 404
      })
    }
  })
}
