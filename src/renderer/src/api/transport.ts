// Runs in the renderer: what the client needs from a transport — the WebSocket of browser mode or the
// preload bridge of the desktop app. Views never see which one is in use.
export interface Transport {
  readonly kind: 'electron' | 'browser'
  request(method: string, params: unknown): Promise<unknown>
  on(event: string, listener: (payload: unknown) => void): () => void
  frameUrl(videoId: string, frame: number): string
  /** A native file dialog, where there is one. */
  pickVideo?: () => Promise<string | null>
}

export class RequestError extends Error {
  constructor(
    readonly code: string,
    message: string
  ) {
    super(message)
    this.name = 'RequestError'
  }
}
