// Runs in the renderer's preload (sandboxed; pure, so Node tests run it on real MessagePorts): the window's
// requests to the backend over its current MessagePort. When the main process says the backend's process
// died, requests in flight fail at once (the dead process may or may not have done them, so they are never
// sent again) and new ones are refused until a restarted backend's port arrives.
import { ServerMessage } from '../shared/api/wire'
import type { BridgeConnection } from './bridge'

/**
 * What the link needs of a MessagePort (the DOM's in the preload, worker_threads' in tests); whoever owns the
 * port passes what arrives on it to `receive`.
 */
export interface PortLike {
  postMessage(message: unknown): void
  close(): void
}

interface Pending {
  sent: boolean
  method: string
  params: unknown
  resolve: (v: unknown) => void
  reject: (e: unknown) => void
}

/** The codes the renderer's transport knows: sent but unanswered, and refused before sending. */
const CONNECTION_LOST = 'connection-lost'
const NOT_CONNECTED = 'not-connected'

const failure = (code: string, message: string): Error => Object.assign(new Error(message), { code })

export class BackendLink {
  private port: PortLike | null = null
  /** Why the backend is gone, while it is. */
  private lostReason: string | null = null
  private nextId = 1
  private readonly pending = new Map<number, Pending>()
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>()
  private readonly connectionListeners = new Set<(change: BridgeConnection) => void>()

  /** A port to the backend: the first one, or a restarted backend's (then the page hears 'restored'). */
  attach(port: PortLike): void {
    const restored = this.port !== null || this.lostReason !== null
    // Answers to what went out on a replaced port can never come back on the new one.
    if (this.port) this.failSent(`the studio's backend was reconnected before it answered.`)
    this.port?.close()
    this.port = port
    this.lostReason = null
    // Requests made before the first port arrived waited for it.
    for (const [id, p] of this.pending) this.post(id, p)
    if (restored) for (const l of [...this.connectionListeners]) l({ state: 'restored' })
  }

  /** The backend's process died: fail what is in flight, refuse what comes, until the next port. */
  lost(message: string): void {
    this.lostReason = message
    this.port?.close()
    this.port = null
    this.failSent(message)
    for (const l of [...this.connectionListeners]) l({ state: 'lost', message })
  }

  invoke(method: string, params: unknown): Promise<unknown> {
    if (this.lostReason !== null)
      return Promise.reject(failure(NOT_CONNECTED, `Not sent: ${this.lostReason}`))
    return new Promise((resolve, reject) => {
      const id = this.nextId++
      const p = { sent: false, method, params, resolve, reject }
      this.pending.set(id, p)
      this.post(id, p)
    })
  }

  on(event: string, listener: (payload: unknown) => void): () => void {
    const set = this.listeners.get(event) ?? new Set()
    set.add(listener)
    this.listeners.set(event, set)
    return () => set.delete(listener)
  }

  onConnection(listener: (change: BridgeConnection) => void): () => void {
    this.connectionListeners.add(listener)
    return () => this.connectionListeners.delete(listener)
  }

  private post(id: number, p: Pending): void {
    if (!this.port || p.sent) return
    p.sent = true
    this.port.postMessage({ type: 'request', id, method: p.method, params: p.params })
  }

  /** Sent but unanswered: the process that had them may or may not have done them, so they fail, never resent. */
  private failSent(reason: string): void {
    for (const [id, p] of this.pending) {
      if (!p.sent) continue
      this.pending.delete(id)
      p.reject(failure(CONNECTION_LOST, `No answer: ${reason}`))
    }
  }

  /** A message from the backend on the current port: an answer or an event. */
  receive(data: unknown): void {
    const msg = ServerMessage.safeParse(data)
    if (!msg.success) return
    if (msg.data.type === 'event') {
      for (const l of this.listeners.get(msg.data.event) ?? []) l(msg.data.payload)
      return
    }
    const p = this.pending.get(msg.data.id)
    if (!p) return
    this.pending.delete(msg.data.id)
    if (msg.data.ok) p.resolve(msg.data.result)
    else p.reject(failure(msg.data.error.code, msg.data.error.message))
  }
}
