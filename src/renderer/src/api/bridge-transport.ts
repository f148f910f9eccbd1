// Runs in the renderer (desktop app): the contract through the preload's `window.shuttle` bridge, and the
// state of the backend's process as the main process reports it.
import type { ShuttleBridge } from '../../../preload/bridge'
import { framePath } from '@shared/api/frame-url'
import { isEventName, isMethodName } from '@shared/api/contract'
import { NOT_CONNECTED, RequestError, type ConnectionStatus, type Transport } from './transport'

export class BridgeTransport implements Transport {
  readonly kind = 'electron' as const
  private current: ConnectionStatus = { state: 'connected', reconnected: false, backendRestarted: false }
  private readonly statusListeners = new Set<(s: ConnectionStatus) => void>()

  // The main process restarts a crashed backend on its own, so there is no retry here and no reconnect():
  // the page hears that it is gone, then that a new one (which has forgotten what was open) is wired in.
  constructor(private readonly bridge: ShuttleBridge) {
    bridge.onConnection((change) => {
      this.current =
        change.state === 'lost'
          ? { state: 'lost', reason: change.message, attempt: 0, maxAttempts: 0, retryInMs: null }
          : { state: 'connected', reconnected: true, backendRestarted: true }
      for (const l of [...this.statusListeners]) l(this.current)
    })
  }

  onStatus = (listener: (status: ConnectionStatus) => void): (() => void) => {
    this.statusListeners.add(listener)
    listener(this.current)
    return () => this.statusListeners.delete(listener)
  }

  async request(method: string, params: unknown): Promise<unknown> {
    if (!isMethodName(method)) throw new RequestError('unknown-method', `Unknown method ${method}`)
    if (this.current.state === 'lost')
      throw new RequestError(NOT_CONNECTED, `Not sent: ${this.current.reason} It is restarting.`)
    const fn = this.bridge.api[method] as (p: unknown) => Promise<unknown>
    try {
      return await fn(params)
    } catch (err) {
      const e = err as { code?: string; message?: string }
      throw new RequestError(e.code ?? 'internal', e.message ?? String(err))
    }
  }

  on(event: string, listener: (payload: unknown) => void): () => void {
    if (!isEventName(event)) return () => undefined
    return this.bridge.on(event, listener as never)
  }

  frameUrl(videoId: string, frame: number, preview = false): string {
    return `${this.bridge.frameBase.replace(/\/frames$/, '')}${framePath(videoId, frame, preview)}`
  }

  pickVideo = (): Promise<string | null> => this.bridge.pickVideo()

  pathForFile = (file: File): string => this.bridge.pathForFile(file)
}
