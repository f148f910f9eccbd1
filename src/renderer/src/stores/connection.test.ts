// Runs in Node (Vitest): the connection store fed by the real WebSocket transport, against a real `ws` server
// on 127.0.0.1 that the tests kill and start again — with the same token (it comes back), or with a new one
// (the studio was restarted: the page must say so, not retry). Requests in flight must fail at once when the
// server dies, and new ones must be refused until the link is back.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import WebSocket, { WebSocketServer } from 'ws'
import { parseFramePath } from '@shared/api/frame-url'
import { CONNECTION_LOST, NOT_CONNECTED, RequestError } from '../api/transport'
import { WebSocketTransport, type SocketLike } from '../api/ws-transport'
import { useConnectionStore } from './connection'

/**
 * A server shaped like browser mode's: the token guards the upgrade and frame URLs (403 when wrong). It
 * answers `echo` with its params, never answers `hang`, and sends an event before answering `shout`.
 */
interface TestServer {
  port: number
  /** WebSocket upgrades asked for, accepted or not. */
  upgrades: number
  /** Drops every connection abruptly and stops listening, as a killed process does. */
  kill(): Promise<void>
}

async function startServer(token: string, port = 0): Promise<TestServer> {
  const wss = new WebSocketServer({ noServer: true })
  const http: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const frame = parseFramePath(url.pathname)
    res.statusCode = !frame ? 404 : url.searchParams.get('t') !== token ? 403 : 404
    res.end()
  })
  const state: TestServer = {
    port: 0,
    upgrades: 0,
    kill: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate()
        http.closeAllConnections()
        http.close(() => resolve())
      })
  }
  http.on('upgrade', (req, socket, head) => {
    state.upgrades++
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (url.searchParams.get('t') !== token) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n')
      socket.destroy()
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('message', (data) => {
        const m = JSON.parse(String(data)) as { id: number; method: string; params: unknown }
        if (m.method === 'hang') return
        if (m.method === 'shout')
          ws.send(JSON.stringify({ type: 'event', event: 'shouted', payload: m.params }))
        ws.send(JSON.stringify({ type: 'response', id: m.id, ok: true, result: m.params }))
      })
    })
  })
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject)
    http.listen(port, '127.0.0.1', () => resolve())
  })
  state.port = (http.address() as AddressInfo).port
  return state
}

async function until(what: string, check: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

async function rejection(p: Promise<unknown>): Promise<RequestError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e
  )
  expect(err).toBeInstanceOf(RequestError)
  return err as RequestError
}

const openSocket = (url: string): SocketLike => new WebSocket(url) as unknown as SocketLike

let server: TestServer | null = null
let transport: WebSocketTransport | null = null

function connectTo(port: number, token: string, retryDelaysMs: number[]): WebSocketTransport {
  transport = new WebSocketTransport(`http://127.0.0.1:${port}`, token, { openSocket, retryDelaysMs })
  return transport
}

beforeEach(() => setActivePinia(createPinia()))
afterEach(async () => {
  transport?.close()
  transport = null
  await server?.kill()
  server = null
})

describe('connection store over a real WebSocket', () => {
  it('requests made before the first connection wait for it and are answered once', async () => {
    server = await startServer('tok')
    const t = connectTo(server.port, 'tok', [20])
    const store = useConnectionStore()
    store.attach(t)
    expect(store.status.state).toBe('connecting')
    expect(store.online).toBe(true)
    await expect(t.request('echo', { n: 1 })).resolves.toEqual({ n: 1 })
    expect(store.status).toEqual({ state: 'connected', reconnected: false, backendRestarted: false })
    expect(store.bannerShown).toBe(false)
  })

  it('fails requests in flight when the server dies, refuses new ones, and reconnects when it is back', async () => {
    server = await startServer('tok')
    const port = server.port
    // Tries enough to outlast any slow restart below; the test ends as soon as one connects.
    const t = connectTo(port, 'tok', Array<number>(200).fill(50))
    const store = useConnectionStore()
    store.attach(t)
    await t.request('echo', 1)
    const events: unknown[] = []
    t.on('shouted', (p) => events.push(p))

    const inFlight = t.request('hang', { edit: 1 })
    await server.kill()
    server = null
    const lost = await rejection(inFlight)
    expect(lost.code).toBe(CONNECTION_LOST)
    expect(lost.message).toMatch(/before the studio confirmed it/)

    await until('the store shows the link lost', () => store.status.state === 'lost')
    expect(store.online).toBe(false)
    expect(store.interrupted).toBe(true)
    expect(store.bannerShown).toBe(true)
    expect(store.banner?.title).toBe('Connection to the studio lost.')
    expect(store.banner?.detail).toMatch(/Edits are refused/)
    expect(store.reconnectOffered).toBe(true)
    const refused = await rejection(t.request('echo', { edit: 2 }))
    expect(refused.code).toBe(NOT_CONNECTED)

    // Escape closes the banner; it stays closed across retries of the same loss.
    store.dismiss()
    expect(store.bannerShown).toBe(false)

    server = await startServer('tok', port)
    await until('it reconnects on its own', () => store.status.state === 'connected')
    expect(store.status).toEqual({ state: 'connected', reconnected: true, backendRestarted: false })
    expect(store.interrupted).toBe(false)
    expect(store.bannerShown).toBe(true)
    expect(store.banner?.kind).toBe('info')
    expect(store.reconnectOffered).toBe(false)
    await expect(t.request('shout', 'again')).resolves.toBe('again')
    expect(events).toEqual(['again'])
  })

  it('gives up after its bounded tries, then reconnects only when asked', async () => {
    server = await startServer('tok')
    const port = server.port
    const t = connectTo(port, 'tok', [10, 20, 40])
    const store = useConnectionStore()
    const seen: string[] = []
    store.attach(t)
    t.onStatus((s) => seen.push(s.state === 'lost' ? `lost ${s.attempt}/${s.maxAttempts}` : s.state))
    await t.request('echo', 1)
    await server.kill()
    server = null

    await until('the tries are spent', () => store.status.state === 'offline')
    expect(seen.filter((s) => s !== 'lost 0/3' && !s.startsWith('connect'))).toEqual([
      'lost 1/3',
      'lost 2/3',
      'lost 3/3',
      'offline'
    ])
    expect(store.banner?.detail).toMatch(/press Reconnect/)
    expect(store.reconnectOffered).toBe(true)

    server = await startServer('tok', port)
    // Offline makes no more tries of its own: the new server sees nobody (for many times the longest delay)
    // until Reconnect is pressed.
    await new Promise((r) => setTimeout(r, 300))
    expect(server.upgrades).toBe(0)
    store.reconnect()
    await until('Reconnect connects', () => store.status.state === 'connected')
    expect(server.upgrades).toBe(1)
    await expect(t.request('echo', 2)).resolves.toBe(2)
  })

  it('says the studio was restarted when the server refuses the token, and stops trying', async () => {
    server = await startServer('old-token')
    const port = server.port
    const t = connectTo(port, 'old-token', Array<number>(200).fill(30))
    const store = useConnectionStore()
    store.attach(t)
    await t.request('echo', 1)
    await server.kill()
    server = await startServer('new-token', port)

    await until('the page knows it was replaced', () => store.status.state === 'replaced')
    expect(store.banner?.title).toBe('The studio was restarted: open the new address it printed.')
    expect(store.reconnectOffered).toBe(false)
    const refused = await rejection(t.request('echo', 2))
    expect(refused.code).toBe(NOT_CONNECTED)
    expect(refused.message).toMatch(/open the new address it printed/)
    // No retry is scheduled after a refusal: tries made so far are all there will be.
    const tries = server.upgrades
    await new Promise((r) => setTimeout(r, 200))
    expect(server.upgrades).toBe(tries)
  })

  it('a page opened with a stale token says so at once', async () => {
    server = await startServer('new-token')
    const t = connectTo(server.port, 'old-token', [30])
    const store = useConnectionStore()
    store.attach(t)
    const first = t.request('echo', 1)
    expect((await rejection(first)).code).toBe(NOT_CONNECTED)
    await until('the page knows it was replaced', () => store.status.state === 'replaced')
    expect(store.bannerShown).toBe(true)
  })
})
