// Runs in the renderer: what the client needs from a transport — the WebSocket of browser mode or the
// preload bridge of the desktop app. Views never see which one is in use.
export interface Transport {
  readonly kind: 'electron' | 'browser'
  request(method: string, params: unknown): Promise<unknown>
  on(event: string, listener: (payload: unknown) => void): () => void
  frameUrl(videoId: string, frame: number): string
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
