// Runs everywhere (types only): the shape of `window.shuttle`, the object the preload exposes. The renderer
// reads it through this type; the type test checks it has exactly the contract's methods.
import type { EventName, EventPayload, MethodName, Params, Result } from '../shared/api/contract'

export type BridgeApi = { [M in MethodName]: (params: Params<M>) => Promise<Result<M>> }

export type BridgeConnection = { state: 'lost'; message: string } | { state: 'restored' }

export interface ShuttleBridge {
  api: BridgeApi
  events: readonly EventName[]
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
  /** The native open-file dialog; null when the user cancels. */
  pickVideo(): Promise<string | null>
  /** Where a file dropped on the page lies on disk (a sandboxed page cannot read File.path); '' if nowhere. */
  pathForFile(file: File): string
  /**
   * The backend's process: 'lost' when it stopped (requests in flight have failed; new ones are refused),
   * 'restored' when a restarted one is wired in (it has forgotten what was open).
   */
  onConnection(listener: (change: BridgeConnection) => void): () => void
  /** Prefix of frame URLs served by the custom protocol. */
  frameBase: string
}
