// Runs in Electron's main process: starts the backend in a utilityProcess and restarts it if it dies, so
// decoding and inference never block the main process. Each window gets its own MessagePort to it.
import { MessageChannelMain, utilityProcess, type UtilityProcess, type WebContents } from 'electron'
import path from 'node:path'
import { z } from 'zod'

const FrameReply = z.union([
  z.object({
    type: z.literal('frame'),
    reqId: z.number(),
    ok: z.literal(true),
    bytes: z.instanceof(Uint8Array)
  }),
  z.object({
    type: z.literal('frame'),
    reqId: z.number(),
    ok: z.literal(false),
    code: z.string(),
    message: z.string()
  })
])

export class BackendProcess {
  private child: UtilityProcess | null = null
  private nextReq = 1
  private readonly pending = new Map<
    number,
    { resolve: (b: Uint8Array) => void; reject: (e: Error) => void }
  >()
  private readonly windows = new Set<WebContents>()
  private stopping = false

  constructor(private readonly env: Record<string, string>) {}

  start(): void {
    const child = utilityProcess.fork(path.join(__dirname, 'backend.js'), [], {
      serviceName: 'Shuttle Studio backend',
      env: { ...process.env, ...this.env },
      stdio: 'inherit'
    })
    child.on('message', (m: unknown) => this.onMessage(m))
    child.on('exit', (code) => {
      this.child = null
      for (const p of this.pending.values()) p.reject(new Error(`The backend stopped (exit code ${code}).`))
      this.pending.clear()
      if (!this.stopping) {
        // Windows hear of it at once: their requests in flight fail instead of waiting for an answer.
        for (const wc of this.windows)
          if (!wc.isDestroyed()) wc.send('backend-lost', `The studio's backend stopped (exit code ${code}).`)
        // A crashed backend comes back at once; windows get a fresh port and reopen what they showed.
        this.start()
        for (const wc of this.windows) if (!wc.isDestroyed()) this.connect(wc)
      }
    })
    this.child = child
  }

  /** Wires a new port between this window's renderer (through the preload) and the backend. */
  connect(wc: WebContents): void {
    if (!this.child) return
    const { port1, port2 } = new MessageChannelMain()
    this.child.postMessage({ type: 'port' }, [port1])
    wc.postMessage('backend-port', null, [port2])
    if (!this.windows.has(wc)) {
      this.windows.add(wc)
      wc.once('destroyed', () => this.windows.delete(wc))
    }
  }

  frame(videoId: string, frame: number): Promise<Uint8Array> {
    const child = this.child
    if (!child) return Promise.reject(new Error('The backend is restarting; try again.'))
    const reqId = this.nextReq++
    return new Promise((resolve, reject) => {
      this.pending.set(reqId, { resolve, reject })
      child.postMessage({ type: 'frame', reqId, videoId, frame })
    })
  }

  stop(): void {
    this.stopping = true
    this.child?.kill()
  }

  private onMessage(m: unknown): void {
    const reply = FrameReply.safeParse(m)
    if (!reply.success) return
    const p = this.pending.get(reply.data.reqId)
    if (!p) return
    this.pending.delete(reply.data.reqId)
    if (reply.data.ok) p.resolve(reply.data.bytes)
    else p.reject(Object.assign(new Error(reply.data.message), { code: reply.data.code }))
  }
}
