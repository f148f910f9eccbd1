// Runs in Node (Vitest): browser mode refuses requests that do not name it (DNS rebinding: a page of another
// site reaching 127.0.0.1 under its own name) on every route and on the WebSocket upgrade, even with the right
// token, and answers malformed addresses with a plain 400 rather than a raw exception. Raw HTTP on 127.0.0.1,
// so the Host and Origin headers are exactly what an attacker's page would send.
import type { IncomingMessage } from 'node:http'
import os from 'node:os'
import { describe, expect, it } from 'vitest'
import { allowedHostNames, makeRequestGuard, splitHostHeader } from '../../../src/backend/hosts/request-guard'
import { UPLOAD_TOKEN_HEADER, UPLOAD_VIDEO_PATH } from '@shared/project/video-files'
import { rawHttp, rawWebSocket } from './raw-ws'
import { serveDuringFile } from './test-server'

const server = serveDuringFile('request-guard-')

/** A GET with exactly these headers (Host first; none added). */
async function get(
  target: string,
  headers: Record<string, string>
): Promise<{ status: number; body: string }> {
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`)
  const answer = await rawHttp(
    server.port,
    `GET ${target} HTTP/1.1\r\n${lines.join('')}Connection: close\r\n\r\n`
  )
  const [head = '', body = ''] = answer.split('\r\n\r\n')
  return { status: Number(head.split(' ')[1]), body }
}

describe('Host and Origin', () => {
  const ours = () => `127.0.0.1:${server.port}`

  it('serves the page under the bound address and the loopback names', async () => {
    for (const host of [
      ours(),
      `localhost:${server.port}`,
      `[::1]:${server.port}`,
      `LOCALHOST:${server.port}`
    ]) {
      expect((await get('/', { Host: host })).status, host).toBe(200)
    }
    expect((await get('/', { Host: ours(), Origin: `http://${ours()}` })).status).toBe(200)
    // Through an SSH tunnel from another local port, the page's own origin is that port.
    expect((await get('/', { Host: 'localhost:9000', Origin: 'http://localhost:9000' })).status).toBe(200)
    expect((await get('/', { Host: 'localhost:9000' })).status).toBe(200)
  })

  it('refuses another name, a malformed port or no Host at all, on every route, with a body that says why', async () => {
    const frame = `/frames/abc/0.jpg?t=${server.token}`
    for (const target of ['/', '/index.html', frame, '/assets/x.js']) {
      for (const host of [
        `rebind.attacker.example:${server.port}`,
        'rebind.attacker.example',
        '127.0.0.1:x'
      ]) {
        const r = await get(target, { Host: host })
        expect(r.status, `${target} ${host}`).toBe(403)
        expect(r.body).toMatch(
          /^Refused: this studio answers only at its own address \(http:\/\/127\.0\.0\.1:\d+\)/
        )
      }
    }
    const noHost = await rawHttp(server.port, 'GET / HTTP/1.0\r\n\r\n')
    expect(noHost).toMatch(/^HTTP\/1\.1 403[\s\S]*Refused: the request names no Host/)
  })

  it('refuses a page of another origin even with the token: frames, upload and the socket', async () => {
    const evil = { Host: ours(), Origin: 'http://rebind.attacker.example' }
    const frame = await get(`/frames/abc/0.jpg?t=${server.token}`, evil)
    expect(frame.status).toBe(403)
    expect(frame.body).toMatch(/a page from "http:\/\/rebind\.attacker\.example" may not use this studio/)
    for (const origin of [
      'null',
      `http://rebind.attacker.example:${server.port}`,
      `https://127.0.0.1:${server.port}`,
      // Another page on this machine (another port, or another name for it) is another origin.
      'http://127.0.0.1:9000',
      `http://localhost:${server.port}`
    ]) {
      expect((await get('/', { Host: ours(), Origin: origin })).status, origin).toBe(403)
    }

    const q = new URLSearchParams({ match: 'm1', name: 'x.mp4' })
    const upload = await rawHttp(
      server.port,
      `POST ${UPLOAD_VIDEO_PATH}?${q} HTTP/1.1\r\nHost: ${ours()}\r\nOrigin: http://evil.example\r\n` +
        `${UPLOAD_TOKEN_HEADER}: ${server.token}\r\nContent-Length: 4\r\nConnection: close\r\n\r\nabcd`
    )
    expect(upload).toMatch(/^HTTP\/1\.1 403/)

    await expect(rawWebSocket(server.port, server.token, { Origin: 'http://evil.example' })).rejects.toThrow(
      /403[\s\S]*may not use this studio/
    )
    await expect(
      rawWebSocket(server.port, server.token, { Host: `evil.example:${server.port}` })
    ).rejects.toThrow(/403[\s\S]*answers only at its own address/)
    const good = await rawWebSocket(server.port, server.token, { Origin: `http://127.0.0.1:${server.port}` })
    good.socket.end()
    await good.closed
  })

  it('answers malformed addresses with a plain 400, never a raw exception', async () => {
    for (const target of ['/%', '/%zz', '/%E0%A4%A', '/assets/%']) {
      const r = await get(target, { Host: ours() })
      expect(r.status, target).toBe(400)
      expect(r.body).not.toMatch(/URIError|malformed/)
      expect(r.body).toMatch(/^Bad address/)
    }
    const slashes = await get('//evil.example/x', { Host: ours() })
    expect(slashes.status).toBe(400)
    // new URL('//', base) throws: in the upgrade handler, that once ended the process.
    const upgrade = await rawHttp(
      server.port,
      `GET // HTTP/1.1\r\nHost: ${ours()}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n'
    )
    expect(upgrade).toMatch(/^HTTP\/1\.1 403[\s\S]*WebSocket at \/ws only/)
    expect((await get('/', { Host: ours() })).status).toBe(200)
  })

  it('knows the names of a server bound to every interface', () => {
    const names = allowedHostNames('0.0.0.0')
    expect(names.has('localhost')).toBe(true)
    expect(names.has(os.hostname().toLowerCase())).toBe(true)
    expect(allowedHostNames('::1').has('[::1]')).toBe(true)
    expect(splitHostHeader('[::1]:8080')).toEqual({ name: '[::1]', port: 8080 })
    expect(splitHostHeader('Example.com')).toEqual({ name: 'example.com', port: null })
    expect(splitHostHeader('a:b').port).toBeNaN()
    // A name that is not loopback only with the server's own port.
    const lan = makeRequestGuard('192.0.2.7', () => 4000)
    const asked = (host: string) => lan.refusal({ headers: { host } } as IncomingMessage)
    expect(asked('192.0.2.7:4000')).toBeNull()
    expect(asked('192.0.2.7:4001')).toMatch(/^Refused/)
    expect(asked('localhost:5000')).toBeNull()
  })
})
