// Runs in the renderer's preload (sandboxed; pure, so Node tests run it on real MessagePorts): the window's
// requests to the backend over its current MessagePort. When the main process says the backend's process
// died, requests in flight fail at once (the dead process may or may not have done them, so they are never
// sent again) and new ones are refused until a restarted backend's port arrives.
import { deliverServerMessage, requestEnvelope, type ContractCall } from '../shared/api/contract-peer'
import { RpcPeer } from '../shared/api/rpc-peer'
import type { BridgeConnection } from './bridge'

/**
 * What the link needs of a MessagePort (the DOM's in the preload, worker_threads' in tests); whoever owns the
 * port passes what arrives on it to `receive`.
 */
export interface PortLike {
  postMessage(message: unknown): void
  close(): void
}

/** The codes the renderer's transport knows: sent but unanswered, and refused before sending. */
const CONNECTION_LOST = 'connection-lost'
const NOT_CONNECTED = 'not-connected'

const failure = (code: string, message: string): Error => Object.assign(new Error(message), { code })

/** Sent but unanswered: the process that had them may or may not have done them, so they fail, never resent. */
const noAnswer = (reason: string) => (): Error => failure(CONNECTION_LOST, `No answer: ${reason}`)

export class BackendLink {
  private port: PortLike | null = null
  /** Why the backend is gone, while it is. */
  private lostReason: string | null = null
  /** Resending after a reconnect stays off: an edit the dead process may have journaled must never run twice. */
  private readonly peer = new RpcPeer<ContractCall>()
  private readonly connectionListeners = new Set<(change: BridgeConnection) => void>()

  /** A port to the backend: the first one, or a restarted backend's (then the page hears 'restored'). */
  attach(port: PortLike): void {
    const restored = this.port !== null || this.lostReason !== null
    // Answers to what went out on a replaced port can never come back on the new one.
    if (this.port) this.peer.disconnect(noAnswer(`the studio's backend was reconnected before it answered.`))
    this.port?.close()
    this.port = port
    this.lostReason = null
    // Requests made before the first port arrived waited for it.
    this.peer.connect((id, call) => port.postMessage(requestEnvelope(id, call)))
    if (restored) for (const l of [...this.connectionListeners]) l({ state: 'restored' })
  }

  /** The backend's process died: fail what is in flight, refuse what comes, until the next port. */
  lost(message: string): void {
    this.lostReason = message
    this.port?.close()
    this.port = null
    this.peer.disconnect(noAnswer(message))
    for (const l of [...this.connectionListeners]) l({ state: 'lost', message })
  }

  invoke(method: string, params: unknown): Promise<unknown> {
    if (this.lostReason !== null)
      return Promise.reject(failure(NOT_CONNECTED, `Not sent: ${this.lostReason}`))
    return this.peer.request({ method, params })
  }

  on(event: string, listener: (payload: unknown) => void): () => void {
    return this.peer.on(event, listener)
  }

  onConnection(listener: (change: BridgeConnection) => void): () => void {
    this.connectionListeners.add(listener)
    return () => this.connectionListeners.delete(listener)
  }

  /** A message from the backend on the current port: an answer or an event. */
  receive(data: unknown): void {
    deliverServerMessage(this.peer, data, (e) => failure(e.code, e.message))
  }
}
