// Runs in the renderer (browser mode): the contract over a WebSocket to the local server. When the link drops,
// requests in flight fail at once (never a 'saving…' that waits forever), new ones are refused until it is back,
// and it reconnects with backoff for a bounded number of tries; a server that refuses the token (it was
// restarted and printed a new address) is reported as such instead of being retried.
import { deliverServerMessage, requestEnvelope, type ContractCall } from '@shared/api/contract-peer'
import { framePath } from '@shared/api/frame-url'
import { RpcPeer, type PendingRequest } from '@shared/api/rpc-peer'
import {
  CONNECTION_LOST,
  NOT_CONNECTED,
  RequestError,
  type ConnectionStatus,
  type Transport
} from './transport'

/** What the transport needs of a WebSocket: the browser's, or the `ws` package's in Node tests. */
export interface SocketLike {
  onopen: ((e: unknown) => void) | null
  onmessage: ((e: { data: unknown }) => void) | null
  onclose: ((e: unknown) => void) | null
  onerror: ((e: unknown) => void) | null
  send(data: string): void
  close(): void
}

export interface WebSocketTransportOptions {
  /** Makes a socket; the browser's WebSocket by default. */
  openSocket?: (url: string) => SocketLike
  /** Used to ask the server whether it still accepts the token after a drop; the global fetch by default. */
  fetch?: (url: string, init: { method: string }) => Promise<{ status: number }>
  /** The wait before each automatic reconnection try; its length is how many tries are made. */
  retryDelaysMs?: readonly number[]
  /** Sends a dropped video's bytes (see Transport.uploadVideo); given by the page, which has XMLHttpRequest. */
  uploadVideo?: Transport['uploadVideo']
}

/** About half a minute of tries, then the Reconnect button: a server that is gone rarely comes back later. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [500, 1000, 2000, 4000, 8000, 15000]

/** A frame path no video has: asking for it tells a refused token (403) from a missing video (404). */
const PROBE_PATH = framePath('connection-probe', 0)

export class WebSocketTransport implements Transport {
  readonly kind = 'browser' as const
  private socket: SocketLike | null = null
  /** Resending after a reconnect stays off: an edit the server may have journaled must never run twice. */
  private readonly peer = new RpcPeer<ContractCall>()
  /** Makes each token probe's URL its own, so no cache answers it. */
  private probes = 0
  private readonly statusListeners = new Set<(s: ConnectionStatus) => void>()
  private current: ConnectionStatus = { state: 'connecting' }
  private everOpened = false
  private attempt = 0
  private retryTimer: ReturnType<typeof setTimeout> | null = null
  private closed = false
  /** Bumped by every connection try, so a drop's slow follow-up never acts after a newer try began. */
  private round = 0
  private readonly openSocket: (url: string) => SocketLike
  private readonly probe: (url: string, init: { method: string }) => Promise<{ status: number }>
  private readonly retryDelaysMs: readonly number[]
  readonly uploadVideo?: Transport['uploadVideo']

  constructor(
    private readonly origin: string,
    private readonly token: string,
    options: WebSocketTransportOptions = {}
  ) {
    this.openSocket = options.openSocket ?? ((url) => new WebSocket(url) as unknown as SocketLike)
    this.probe = options.fetch ?? ((url, init) => fetch(url, init))
    this.retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS
    this.uploadVideo = options.uploadVideo
    this.connect()
  }

  get status(): ConnectionStatus {
    return this.current
  }

  request(method: string, params: unknown): Promise<unknown> {
    const refusal = this.refusal()
    if (refusal) return Promise.reject(refusal)
    return this.peer.request({ method, params })
  }

  on(event: string, listener: (payload: unknown) => void): () => void {
    return this.peer.on(event, listener)
  }

  onStatus = (listener: (status: ConnectionStatus) => void): (() => void) => {
    this.statusListeners.add(listener)
    listener(this.current)
    return () => this.statusListeners.delete(listener)
  }

  reconnect = (): void => {
    if (this.closed || this.current.state === 'connected' || this.current.state === 'connecting') return
    this.clearRetry()
    this.attempt = 0
    this.setStatus({
      state: 'lost',
      reason: 'reconnecting',
      attempt: 0,
      maxAttempts: this.retryDelaysMs.length,
      retryInMs: 0
    })
    this.connect()
  }

  /** Stops for good: the socket is closed, no more tries are made, waiting requests fail. */
  close(): void {
    this.closed = true
    this.clearRetry()
    const s = this.socket
    this.socket = null
    s?.close()
    this.failPending('The connection to the studio was closed.')
  }

  frameUrl(videoId: string, frame: number, preview = false): string {
    return `${this.origin}${framePath(videoId, frame, preview)}?t=${encodeURIComponent(this.token)}`
  }

  /** Why a new request cannot go out now, or null when it can (or can wait for the first connection). */
  private refusal(): RequestError | null {
    const s = this.current
    if (this.closed) return new RequestError(NOT_CONNECTED, 'The connection to the studio was closed.')
    if (s.state === 'connected' || s.state === 'connecting') return null
    return new RequestError(
      NOT_CONNECTED,
      s.state === 'replaced'
        ? `Not sent: ${s.reason}`
        : "Not sent: the studio's backend is not connected (see the banner at the top)."
    )
  }

  private setStatus(next: ConnectionStatus): void {
    this.current = next
    for (const l of [...this.statusListeners]) l(next)
  }

  private connect(): void {
    const wsOrigin = this.origin.replace(/^http/, 'ws')
    this.round++
    if (!this.everOpened) this.setStatus({ state: 'connecting' })
    let socket: SocketLike
    try {
      socket = this.openSocket(`${wsOrigin}/ws?t=${encodeURIComponent(this.token)}`)
    } catch (err) {
      void this.afterDrop(err instanceof Error ? err.message : String(err))
      return
    }
    this.socket = socket
    socket.onopen = () => {
      if (socket !== this.socket) return
      const reconnected = this.everOpened
      this.everOpened = true
      this.attempt = 0
      this.setStatus({ state: 'connected', reconnected, backendRestarted: false })
      this.peer.connect((id, call) => socket.send(JSON.stringify(requestEnvelope(id, call))))
    }
    socket.onmessage = (e) => {
      if (socket === this.socket) this.onMessage(e.data)
    }
    // The error event carries nothing a page may read (a browser hides the HTTP status of a refused
    // upgrade); the close that always follows it is where the drop is handled.
    socket.onerror = () => undefined
    socket.onclose = () => {
      if (socket !== this.socket) return
      this.socket = null
      void this.afterDrop('the connection to the studio was cut')
    }
  }

  /** After a drop or a failed try: fail what waits, then find out why and retry or give up. */
  private async afterDrop(reason: string): Promise<void> {
    this.failPending(reason)
    if (this.closed) return
    const round = this.round
    // A failed retry is already shown as lost; only a fresh drop changes the state while the server is asked.
    if (this.current.state !== 'lost')
      this.setStatus({
        state: 'lost',
        reason,
        attempt: this.attempt,
        maxAttempts: this.retryDelaysMs.length,
        retryInMs: 0
      })
    const refused = await this.tokenRefused()
    if (this.closed || round !== this.round) return
    if (refused) {
      this.setStatus({
        state: 'replaced',
        reason: 'the studio was restarted and no longer accepts this page: open the new address it printed.'
      })
      return
    }
    const delay = this.retryDelaysMs[this.attempt]
    if (delay === undefined) {
      this.setStatus({ state: 'offline', reason: "the studio's backend does not answer" })
      return
    }
    this.attempt++
    this.setStatus({
      state: 'lost',
      reason,
      attempt: this.attempt,
      maxAttempts: this.retryDelaysMs.length,
      retryInMs: delay
    })
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null
      if (!this.closed) this.connect()
    }, delay)
  }

  /** True when the server is up and answers 403 to this page's token; false when it is down or accepts it. */
  private async tokenRefused(): Promise<boolean> {
    try {
      const res = await this.probe(
        `${this.origin}${PROBE_PATH}?t=${encodeURIComponent(this.token)}&probe=${++this.probes}`,
        { method: 'HEAD' }
      )
      return res.status === 403
    } catch {
      return false
    }
  }

  /** Everything waiting fails: what was sent may or may not have taken effect; what was not certainly did not. */
  private failPending(reason: string): void {
    const why = (p: PendingRequest<ContractCall>): RequestError =>
      p.sent
        ? new RequestError(
            CONNECTION_LOST,
            `No answer: ${reason} before the studio confirmed it (${p.request.method}).`
          )
        : new RequestError(NOT_CONNECTED, `Not sent: ${reason}.`)
    this.peer.disconnect(why)
    this.peer.failWaiting(why)
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer)
    this.retryTimer = null
  }

  private onMessage(data: unknown): void {
    let json: unknown
    try {
      json = JSON.parse(String(data))
    } catch {
      return
    }
    deliverServerMessage(this.peer, json, (e) => new RequestError(e.code, e.message))
  }
}
