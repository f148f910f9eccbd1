// Runs in Node (Vitest): the desktop app's link to its backend process, on real MessagePorts (worker_threads),
// with the other end answering as the backend does. When the main process reports the backend died, requests
// in flight fail at once and are never sent again, new ones are refused, and a restarted backend's port brings
// the link back; the page's transport and connection store say so.
import { createPinia, setActivePinia } from 'pinia'
import { MessageChannel, type MessagePort } from 'node:worker_threads'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { BackendLink } from '../../../src/preload/backend-link'
import type { ShuttleBridge } from '../../../src/preload/bridge'
import { BridgeTransport } from '@renderer/api/bridge-transport'
import { CONNECTION_LOST, NOT_CONNECTED, RequestError } from '@renderer/api/transport'
import { useConnectionStore } from '@renderer/stores/connection'

/** One backend process's end of a port: answers app.info, never answers the rest; records what it got. */
function backendEnd(port: MessagePort, name: string): { got: string[] } {
  const got: string[] = []
  port.on('message', (m: { id: number; method: string }) => {
    got.push(m.method)
    if (m.method === 'app.info')
      port.postMessage({ type: 'response', id: m.id, ok: true, result: { backend: name } })
  })
  return { got }
}

const channels: MessageChannel[] = []
/** A fresh port pair wired as the preload wires one: the link posts on port1, what arrives goes to receive. */
function wire(link: BackendLink, name: string): { got: string[] } {
  const ch = new MessageChannel()
  channels.push(ch)
  link.attach(ch.port1)
  ch.port1.on('message', (d: unknown) => link.receive(d))
  return backendEnd(ch.port2, name)
}

/** window.shuttle as the preload builds it around the link (its api: every method through invoke). */
function bridgeOver(link: BackendLink): ShuttleBridge {
  return {
    api: new Proxy({} as ShuttleBridge['api'], {
      get: (_t, m) => (p: unknown) => link.invoke(String(m), p)
    }),
    events: [],
    on: (e, l) => link.on(e, l as (p: unknown) => void),
    onConnection: (l) => link.onConnection(l),
    pickVideo: async () => null,
    pathForFile: () => '',
    frameBase: 'studio://frames'
  } as ShuttleBridge
}

async function failure(p: Promise<unknown>): Promise<Error & { code?: string }> {
  const err = await p.then(
    () => null,
    (e: unknown) => e as Error
  )
  expect(err).toBeInstanceOf(Error)
  return err!
}

beforeEach(() => setActivePinia(createPinia()))
afterEach(() => {
  for (const ch of channels.splice(0)) {
    ch.port1.close()
    ch.port2.close()
  }
})

describe('backend link (desktop app)', () => {
  it('requests made before the first port wait for it and go out once', async () => {
    const link = new BackendLink()
    const answer = link.invoke('app.info', {})
    const first = wire(link, 'first')
    await expect(answer).resolves.toEqual({ backend: 'first' })
    expect(first.got).toEqual(['app.info'])
  })

  it('fails requests in flight when the backend dies, refuses new ones, and never resends them', async () => {
    const link = new BackendLink()
    const first = wire(link, 'first')
    await link.invoke('app.info', {})
    const inFlight = link.invoke('labels.edit', { edits: [1] })
    await expect.poll(() => first.got, { timeout: 10_000 }).toEqual(['app.info', 'labels.edit'])

    link.lost("The studio's backend stopped (exit code 1).")
    const lost = await failure(inFlight)
    expect(lost.code).toBe('connection-lost')
    expect(lost.message).toBe("No answer: The studio's backend stopped (exit code 1).")
    const refused = await failure(link.invoke('labels.edit', { edits: [2] }))
    expect(refused.code).toBe('not-connected')

    const second = wire(link, 'second')
    await expect(link.invoke('app.info', {})).resolves.toEqual({ backend: 'second' })
    // The restarted backend never sees the edit the dead one may already have journaled.
    expect(second.got).toEqual(['app.info'])
  })

  it('the page hears it: the transport refuses requests and the banner says the backend restarted', async () => {
    const link = new BackendLink()
    wire(link, 'first')
    const transport = new BridgeTransport(bridgeOver(link))
    const store = useConnectionStore()
    store.attach(transport)
    await expect(transport.request('app.info', {})).resolves.toEqual({ backend: 'first' })
    expect(store.bannerShown).toBe(false)

    const inFlight = transport.request('project.library', {})
    link.lost("The studio's backend stopped (exit code 9).")
    const lost = await failure(inFlight)
    expect(lost).toBeInstanceOf(RequestError)
    expect(lost.code).toBe(CONNECTION_LOST)
    expect(store.status.state).toBe('lost')
    expect(store.banner?.detail).toMatch(/exit code 9\)\. It is restarting\. Edits are refused/)
    expect(store.interrupted).toBe(true)
    // The main process restarts the backend itself: there is nothing for a Reconnect button to do.
    expect(store.reconnectOffered).toBe(false)
    expect((await failure(transport.request('app.info', {}))).code).toBe(NOT_CONNECTED)

    wire(link, 'second')
    expect(store.status).toEqual({ state: 'connected', reconnected: true, backendRestarted: true })
    expect(store.banner?.title).toBe("The studio's backend restarted.")
    await expect(transport.request('app.info', {})).resolves.toEqual({ backend: 'second' })
  })
})
