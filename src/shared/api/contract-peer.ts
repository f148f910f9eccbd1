// Runs everywhere (shared): the API contract's requests on an RpcPeer — the envelope a request travels in, and
// what a message from the backend does (an answer settles its request, an event reaches the listeners). Both of
// the page's links use it: the preload's MessagePort and browser mode's WebSocket.
import type { RpcPeer } from './rpc-peer'
import { ServerMessage, type RequestMessage } from './wire'

export interface ContractCall {
  method: string
  params: unknown
}

export type ContractPeer = RpcPeer<ContractCall, unknown>

export const requestEnvelope = (id: number, call: ContractCall): RequestMessage => ({
  type: 'request',
  id,
  method: call.method,
  params: call.params
})

/**
 * A message read from the backend: an answer settles its request (a failed one with the error `toError`
 * makes of the backend's code and message), an event goes to its listeners; anything else is ignored.
 */
export function deliverServerMessage(
  peer: ContractPeer,
  data: unknown,
  toError: (error: { code: string; message: string }) => Error
): void {
  const msg = ServerMessage.safeParse(data)
  if (!msg.success) return
  if (msg.data.type === 'event') peer.emit(msg.data.event, msg.data.payload)
  else if (msg.data.ok) peer.resolve(msg.data.id, msg.data.result)
  else peer.reject(msg.data.id, toError(msg.data.error))
}
