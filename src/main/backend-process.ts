// Runs in Electron's main process: starts the backend in a utilityProcess, so decoding and inference never block
// the main process, and restarts it if it dies (but not in a crash loop: restart-policy.ts). Each window gets
// its own MessagePort to it.
import { MessageChannelMain, utilityProcess, type UtilityProcess, type WebContents } from 'electron'
import path from 'node:path'
import {
  deliverFrameReply,
  frameRequest,
  type FrameAnswer,
  type FramePeer
} from '../shared/api/frame-channel'
import { RpcPeer } from '../shared/api/rpc-peer'
import { RestartPolicy } from './restart-policy'

export class BackendProcess {
  private child: UtilityProcess | null = null
  /** Frame requests to the current backend process; a restarted one never sees its predecessor's. */
  private readonly frames: FramePeer = new RpcPeer()
  private readonly windows = new Set<WebContents>()
  private stopping = false
  private readonly restarts = new RestartPolicy()

  constructor(private readonly env: Record<string, string>) {}

  start(): void {
    const child = utilityProcess.fork(path.join(__dirname, 'backend.js'), [], {
      serviceName: 'Shuttle Studio backend',
      env: { ...process.env, ...this.env },
      stdio: 'inherit'
    })
    child.on('message', (m: unknown) => deliverFrameReply(this.frames, m))
    child.on('exit', (code) => {
      this.child = null
      const stopped = (): Error => new Error(`The backend stopped (exit code ${code}).`)
      // Every frame asked of the dead process fails; a restarted one never sees them.
      this.frames.disconnect(stopped)
      this.frames.failWaiting(stopped)
      if (!this.stopping) {
        const again = this.restarts.shouldRestart(Date.now())
        const message = again
          ? `The studio's backend stopped (exit code ${code}).`
          : `The studio's backend stopped (exit code ${code}) several times in a minute, so it was not ` +
            'started again. Quit and reopen the studio; if it keeps happening, start it from a terminal to see why.'
        // Windows hear of it at once: their requests in flight fail instead of waiting for an answer.
        for (const wc of this.windows) if (!wc.isDestroyed()) wc.send('backend-lost', message)
        if (!again) return
        // A crashed backend comes back at once; windows get a fresh port and reopen what they showed.
        this.start()
        for (const wc of this.windows) if (!wc.isDestroyed()) this.connect(wc)
      }
    })
    this.child = child
    this.frames.connect((reqId, ask) => child.postMessage(frameRequest(reqId, ask)))
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

  /** A frame's JPEG, or with `preview` what can be shown at once while it decodes (see FrameReply). */
  frame(videoId: string, frame: number, preview = false): Promise<FrameAnswer> {
    if (!this.child) return Promise.reject(new Error('The backend is restarting; try again.'))
    return this.frames.request({ videoId, frame, preview })
  }

  stop(): void {
    this.stopping = true
    this.child?.kill()
  }
}
