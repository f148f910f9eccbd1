// Runs in the renderer: what the client needs from a transport — the WebSocket of browser mode or the
// preload bridge of the desktop app. Views never see which one is in use.
export interface Transport {
  readonly kind: 'electron' | 'browser'
  request(method: string, params: unknown): Promise<unknown>
  on(event: string, listener: (payload: unknown) => void): () => void
  /** A frame's JPEG; with `preview`, what can be shown at once while it decodes (see shared/api/frame-url.ts). */
  frameUrl(videoId: string, frame: number, preview?: boolean): string
  /** A native file dialog, where there is one. */
  pickVideo?: () => Promise<string | null>
  /** Desktop app: where a dropped file lies on disk ('' when it lies nowhere). */
  pathForFile?: (file: File) => string
  /**
   * Browser mode, where a page cannot learn a file's path: sends a dropped video's bytes into a match of the
   * open project. Rejects with the server's reason (not a video, too big, duplicate name, no project…).
   */
  uploadVideo?: (
    file: File,
    match: string,
    onProgress: (sent: number, total: number) => void
  ) => Promise<void>
  /** Calls `listener` with the link's state now and on every change. Absent where the link cannot drop. */
  onStatus?: (listener: (status: ConnectionStatus) => void) => () => void
  /** Starts a new round of connection attempts at once (the Reconnect button); absent where the host does it. */
  reconnect?: () => void
}

/**
 * How the page's link to the backend stands.
 * - connecting: the first connection is being made; requests wait for it.
 * - connected: `reconnected` after a drop; `backendRestarted` where the backend behind it is a new process
 *   that has forgotten what was open (the desktop app restarts a crashed backend).
 * - lost: the link dropped; requests are refused at once. `retryInMs` is when the next automatic try starts
 *   (null where the host restarts the backend on its own), `attempt` of `maxAttempts`.
 * - offline: the automatic tries are spent; `reconnect()` starts another round.
 * - replaced: the server answers but refuses this page's token — it was restarted and printed a new address.
 */
export type ConnectionStatus =
  | { state: 'connecting' }
  | { state: 'connected'; reconnected: boolean; backendRestarted: boolean }
  | { state: 'lost'; reason: string; attempt: number; maxAttempts: number; retryInMs: number | null }
  | { state: 'offline'; reason: string }
  | { state: 'replaced'; reason: string }

/** A request that was sent but not answered before the link dropped: it may or may not have taken effect. */
export const CONNECTION_LOST = 'connection-lost'
/** A request refused before it was sent, because the link is down: it certainly did not take effect. */
export const NOT_CONNECTED = 'not-connected'

export class RequestError extends Error {
  constructor(
    readonly code: string,
    message: string
  ) {
    super(message)
    this.name = 'RequestError'
  }
}
