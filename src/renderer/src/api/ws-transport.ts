// Runs in the renderer (browser mode): the contract over a WebSocket to the local server. Reconnects after
// a drop and re-sends requests still waiting, so a restarted server does not strand the page.
import { ServerMessage } from '../../../shared/api/wire'
import { framePath } from '../../../shared/api/frame-url'
import { UPLOAD_TOKEN_HEADER, UPLOAD_VIDEO_PATH } from '../../../shared/project/video-files'
import { RequestError, type Transport } from './transport'

interface Pending {
  method: string
  params: unknown
  resolve: (v: unknown) => void
  reject: (e: Error) => void
}

export class WebSocketTransport implements Transport {
  readonly kind = 'browser' as const
  private socket: WebSocket | null = null
  private nextId = 1
  private readonly pending = new Map<number, Pending>()
  private readonly listeners = new Map<string, Set<(p: unknown) => void>>()
  private open = false

  constructor(
    private readonly origin: string,
    private readonly token: string
  ) {
    this.connect()
  }

  request(method: string, params: unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++
      this.pending.set(id, { method, params, resolve, reject })
      if (this.open) this.send(id)
    })
  }

  on(event: string, listener: (payload: unknown) => void): () => void {
    const set = this.listeners.get(event) ?? new Set()
    set.add(listener)
    this.listeners.set(event, set)
    return () => set.delete(listener)
  }

  frameUrl(videoId: string, frame: number): string {
    return `${this.origin}${framePath(videoId, frame)}?t=${encodeURIComponent(this.token)}`
  }

  // XMLHttpRequest rather than fetch: only it reports upload progress. The body is the File itself, which the
  // browser streams from disk, so a large video is never held in memory.
  uploadVideo = (
    file: File,
    match: string,
    onProgress: (sent: number, total: number) => void
  ): Promise<void> =>
    new Promise((resolve, reject) => {
      const q = new URLSearchParams({ match, name: file.name })
      const xhr = new XMLHttpRequest()
      xhr.open('POST', `${this.origin}${UPLOAD_VIDEO_PATH}?${q}`)
      xhr.setRequestHeader(UPLOAD_TOKEN_HEADER, this.token)
      xhr.setRequestHeader('Content-Type', 'application/octet-stream')
      xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size)
      xhr.onload = () => {
        if (xhr.status === 200) resolve()
        else reject(new RequestError('upload', xhr.responseText || `HTTP ${xhr.status}`))
      }
      xhr.onerror = () => reject(new RequestError('upload', 'The upload was cut off (the studio stopped?).'))
      xhr.send(file)
    })

  private connect(): void {
    const wsOrigin = this.origin.replace(/^http/, 'ws')
    const socket = new WebSocket(`${wsOrigin}/ws?t=${encodeURIComponent(this.token)}`)
    this.socket = socket
    socket.onopen = () => {
      this.open = true
      for (const id of this.pending.keys()) this.send(id)
    }
    socket.onmessage = (e) => this.onMessage(e.data)
    socket.onclose = () => {
      this.open = false
      setTimeout(() => this.connect(), 1000)
    }
  }

  private send(id: number): void {
    const p = this.pending.get(id)
    if (p && this.socket)
      this.socket.send(JSON.stringify({ type: 'request', id, method: p.method, params: p.params }))
  }

  private onMessage(data: unknown): void {
    let json: unknown
    try {
      json = JSON.parse(String(data))
    } catch {
      return
    }
    const msg = ServerMessage.safeParse(json)
    if (!msg.success) return
    if (msg.data.type === 'event') {
      for (const l of this.listeners.get(msg.data.event) ?? []) l(msg.data.payload)
      return
    }
    const p = this.pending.get(msg.data.id)
    if (!p) return
    this.pending.delete(msg.data.id)
    if (msg.data.ok) p.resolve(msg.data.result)
    else p.reject(new RequestError(msg.data.error.code, msg.data.error.message))
  }
}
