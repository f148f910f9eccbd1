// Runs in Node (Vitest): a transport that hands requests straight to a real backend's dispatcher, in-process —
// so store tests exercise the real contract, validation, services and ffmpeg, minus only the socket.
import { dispatch } from '../../../src/backend/rpc/dispatch'
import type { Backend } from '../../../src/backend/services'
import { RequestError, type Transport } from '@renderer/api/transport'

export class LoopbackTransport implements Transport {
  readonly kind = 'browser' as const
  private nextId = 1

  constructor(private readonly backend: Backend) {}

  async request(method: string, params: unknown): Promise<unknown> {
    // A JSON round trip, as on the wire: nothing that cannot be serialised reaches the renderer.
    const res = await dispatch(
      this.backend.handlers,
      JSON.parse(JSON.stringify({ type: 'request', id: this.nextId++, method, params }))
    )
    const wire = JSON.parse(JSON.stringify(res)) as typeof res
    if (wire.ok) return wire.result
    throw new RequestError(wire.error.code, wire.error.message)
  }

  on(event: string, listener: (payload: unknown) => void): () => void {
    return this.backend.events.subscribe((m) => {
      if (m.event === event) listener(m.payload)
    })
  }

  frameUrl(videoId: string, frame: number, preview = false): string {
    return `loopback:/frames/${videoId}/${frame}${preview ? '.preview' : ''}.jpg`
  }
}
