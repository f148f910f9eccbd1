// Runs everywhere (shared; pure, no Node or DOM imports): one side of a request/response link — the preload's
// MessagePort, browser mode's WebSocket, the main process's frame requests to the backend process, the
// tracker's inference worker. It numbers requests, keeps the pending ones, matches answers to them in any
// order (an answer to an id it does not hold is ignored), fails them on a timeout, a dropped link or a close,
// and keeps the event listeners. What travels and how is the caller's: it passes a `send` function when a link
// is up and hands each answer it reads to `resolve` or `reject`.

/** Puts one request on the link. May throw (a closed port, a detached buffer): that request then fails. */
export type Send<Req> = (id: number, request: Req) => void

/** A request the peer holds, as a failure callback sees it. */
export interface PendingRequest<Req> {
  readonly id: number
  readonly request: Req
  /** True once it went out on a link: the other side may have acted on it. */
  readonly sent: boolean
}

export interface RpcPeerOptions<Req> {
  /** Fails a request still unanswered this long after it was made. None by default. */
  timeoutMs?: number
  /** The error of a request that timed out; a plain Error naming the wait by default. */
  timeoutError?: (pending: PendingRequest<Req>, ms: number) => Error
  /**
   * After a drop, send the requests that went out on the dropped link again on the next one, instead of failing
   * them. Off by default, and every caller in the studio leaves it off: the other side may already have done
   * such a request (an edit journaled just before the link dropped), and doing it twice is worse than failing.
   */
  resendOnReconnect?: boolean
}

interface Entry<Req, Res> {
  request: Req
  sent: boolean
  resolve: (value: Res) => void
  reject: (error: unknown) => void
  timer: ReturnType<typeof setTimeout> | null
}

type Outcome<Res> = { ok: true; value: Res } | { ok: false; error: unknown }
const failed = (error: unknown): { ok: false; error: unknown } => ({ ok: false, error })

export class RpcPeer<Req, Res = unknown> {
  private nextId = 1
  private readonly pending = new Map<number, Entry<Req, Res>>()
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>()
  private send: Send<Req> | null = null
  private closedWith: ((pending: PendingRequest<Req>) => Error) | null = null

  constructor(private readonly options: RpcPeerOptions<Req> = {}) {}

  /** How many requests wait for an answer (sent or not). */
  get pendingCount(): number {
    return this.pending.size
  }

  /**
   * Sends a request when a link is up, else keeps it for the next link. Resolves with its answer; rejects with
   * the answer's error, or when it times out, its link drops or the peer is closed.
   */
  request(request: Req, timeoutMs = this.options.timeoutMs): Promise<Res> {
    if (this.closedWith) return Promise.reject(this.closedWith({ id: 0, request, sent: false }))
    return new Promise<Res>((resolve, reject) => {
      const id = this.nextId++
      const entry: Entry<Req, Res> = { request, sent: false, resolve, reject, timer: null }
      this.pending.set(id, entry)
      if (timeoutMs !== undefined) entry.timer = setTimeout(() => this.timeOut(id, timeoutMs), timeoutMs)
      this.post(id, entry)
    })
  }

  /** A link is up: the requests waiting for one go out on it, oldest first. */
  connect(send: Send<Req>): void {
    if (this.closedWith) return
    this.send = send
    for (const [id, entry] of this.pending) this.post(id, entry)
  }

  /**
   * The link is down; new requests wait for the next one. Requests that went out on it can never be answered on
   * another: each fails with `lost(...)` — or, with resendOnReconnect, waits to go out again. Requests not yet
   * sent keep waiting (failWaiting ends them).
   */
  disconnect(lost: (pending: PendingRequest<Req>) => Error): void {
    this.send = null
    for (const [id, entry] of this.pending) {
      if (!entry.sent) continue
      if (this.options.resendOnReconnect) entry.sent = false
      else this.settle(id, entry, failed(lost({ id, request: entry.request, sent: true })))
    }
  }

  /** Fails every request the peer holds, sent or not, with the error `why` gives for it. */
  failWaiting(why: (pending: PendingRequest<Req>) => Error): void {
    for (const [id, entry] of this.pending)
      this.settle(id, entry, failed(why({ id, request: entry.request, sent: entry.sent })))
  }

  /** Ends the peer: every held request fails with `why`'s error, and so does every later one. */
  close(why: (pending: PendingRequest<Req>) => Error): void {
    this.send = null
    this.closedWith ??= why
    this.failWaiting(why)
  }

  /** An answer read from the link. False when no request has that id (already answered, failed, or never made). */
  resolve(id: number, value: Res): boolean {
    const entry = this.pending.get(id)
    if (!entry) return false
    this.settle(id, entry, { ok: true, value })
    return true
  }

  /** An error answer read from the link. False when no request has that id. */
  reject(id: number, error: unknown): boolean {
    const entry = this.pending.get(id)
    if (!entry) return false
    this.settle(id, entry, failed(error))
    return true
  }

  /** Listens to one event; the returned function stops listening. */
  on(event: string, listener: (payload: unknown) => void): () => void {
    const set = this.listeners.get(event) ?? new Set()
    set.add(listener)
    this.listeners.set(event, set)
    return () => {
      set.delete(listener)
      if (set.size === 0 && this.listeners.get(event) === set) this.listeners.delete(event)
    }
  }

  /** An event read from the link, to its listeners (those listening when it arrived). */
  emit(event: string, payload: unknown): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) listener(payload)
  }

  private post(id: number, entry: Entry<Req, Res>): void {
    if (!this.send || entry.sent) return
    entry.sent = true
    try {
      this.send(id, entry.request)
    } catch (err) {
      this.settle(id, entry, failed(err))
    }
  }

  private timeOut(id: number, ms: number): void {
    const entry = this.pending.get(id)
    if (!entry) return
    entry.timer = null
    const pending = { id, request: entry.request, sent: entry.sent }
    const error = this.options.timeoutError?.(pending, ms) ?? new Error(`No answer within ${ms} ms.`)
    this.settle(id, entry, failed(error))
  }

  /** Answers a held request once, with its value or its error. */
  private settle(id: number, entry: Entry<Req, Res>, outcome: Outcome<Res>): void {
    this.pending.delete(id)
    if (entry.timer !== null) clearTimeout(entry.timer)
    if (outcome.ok) entry.resolve(outcome.value)
    else entry.reject(outcome.error)
  }
}
