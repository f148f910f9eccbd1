// Runs in the renderer (desktop app): the contract through the preload's `window.shuttle` bridge.
import type { ShuttleBridge } from '../../../preload/bridge'
import { framePath } from '../../../shared/api/frame-url'
import { isEventName, isMethodName } from '../../../shared/api/contract'
import { RequestError, type Transport } from './transport'

export class BridgeTransport implements Transport {
  readonly kind = 'electron' as const

  constructor(private readonly bridge: ShuttleBridge) {}

  async request(method: string, params: unknown): Promise<unknown> {
    if (!isMethodName(method)) throw new RequestError('unknown-method', `Unknown method ${method}`)
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

  frameUrl(videoId: string, frame: number): string {
    return `${this.bridge.frameBase.replace(/\/frames$/, '')}${framePath(videoId, frame)}`
  }

  pickVideo = (): Promise<string | null> => this.bridge.pickVideo()

  pathForFile = (file: File): string => this.bridge.pathForFile(file)
}
