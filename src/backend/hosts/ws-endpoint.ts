// Runs in the backend (plain Node): browser mode's WebSocket, where the API contract is spoken. Whatever a
// client sends — a frame with a bad opcode, no mask, invalid UTF-8, a message far too big, a flood — costs that
// client its connection at most, never the server: every socket has an 'error' listener, messages have a size
// limit fitted to real work, and a client with too many requests in flight is read no further until they end.
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type RawData, type WebSocket } from 'ws'
import { formatBytes } from '../../shared/project/video-files'
import type { ResponseMessage } from '../../shared/api/wire'
import { dispatch } from '../rpc/dispatch'
import type { Backend } from '../services'

/**
 * The largest request answered. The largest real one is an undo over a long clip: one patch per frame, up to
 * about 135 bytes each in JSON (14.2 MiB measured for 110,000 model-labelled frames, an hour at 30 frames/s),
 * so an hour at 60 frames/s fits too.
 */
export const MAX_REQUEST_BYTES = 32 * 1024 * 1024
/**
 * Beyond this the socket itself refuses the message (close code 1009) without reading it. Between the two a
 * message is read only to answer its request with a clear error, so the sender knows which one and why.
 */
export const MAX_FRAME_BYTES = 2 * MAX_REQUEST_BYTES
/** Requests of one connection answered at once; past this its socket is not read until some end. */
export const MAX_IN_FLIGHT = 64

export interface WsEndpoint {
  /** Takes over an HTTP upgrade already checked (Host, Origin, token). */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer): void
  close(): void
}

export function makeWsEndpoint(backend: Backend): WsEndpoint {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES })
  // Errors of the server object itself (none expected with noServer) must not end the process either.
  wss.on('error', () => undefined)
  return {
    accept(req, socket, head) {
      wss.handleUpgrade(req, socket, head, (ws) => attach(ws, backend))
    },
    close() {
      for (const c of wss.clients) c.terminate()
      wss.close()
    }
  }
}

function attach(ws: WebSocket, backend: Backend): void {
  // A protocol error (bad opcode, unmasked frame, invalid UTF-8, over MAX_FRAME_BYTES) arrives here after
  // ws has sent the close frame with its code (1002, 1007, 1009) and stopped reading: that connection ends,
  // nothing else. Without this listener the error would be thrown and end browser mode.
  ws.on('error', () => undefined)
  // Never throws: it runs inside the event bus (a job's progress) and at the end of a request's promise.
  const send = (message: unknown): void => {
    if (ws.readyState !== ws.OPEN) return
    try {
      ws.send(JSON.stringify(message))
    } catch {
      ws.terminate()
    }
  }
  const unsubscribe = backend.events.subscribe(send)
  ws.on('close', unsubscribe)
  let inFlight = 0
  ws.on('message', (data: RawData, isBinary: boolean) => {
    const buffer = asBuffer(data)
    if (buffer.length > MAX_REQUEST_BYTES) return send(tooBig(buffer))
    const text = isBinary ? null : buffer.toString()
    let raw: unknown
    try {
      raw = text === null ? undefined : JSON.parse(text)
    } catch {
      raw = undefined
    }
    if (raw === undefined) {
      return send(refusal(0, 'A request must be a JSON text message (one object per message).'))
    }
    inFlight++
    if (inFlight >= MAX_IN_FLIGHT) ws.pause()
    void dispatch(backend.handlers, raw)
      .then(send)
      .finally(() => {
        inFlight--
        if (inFlight < MAX_IN_FLIGHT && ws.isPaused) ws.resume()
      })
  })
}

/** ws hands a Buffer by default (binaryType 'nodebuffer'); the other shapes are folded into one. */
function asBuffer(data: RawData): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data)
  return data instanceof ArrayBuffer ? Buffer.from(data) : data
}

function refusal(id: number, message: string): ResponseMessage {
  return { type: 'response', id, ok: false, error: { code: 'bad-request', message } }
}

/** The answer to an oversized request: to its own id (read from its first bytes) so the sender can match it. */
function tooBig(data: Buffer): ResponseMessage {
  const head = data.subarray(0, 256).toString('latin1')
  const id = Number(/"id"\s*:\s*(\d{1,15})\b/.exec(head)?.[1] ?? 0)
  const method = /"method"\s*:\s*"([\w.-]{1,64})"/.exec(head)?.[1]
  return refusal(
    id,
    `${method ? `${method}: the` : 'The'} request is ${data.length.toLocaleString('en-US')} bytes, over the ` +
      `${formatBytes(MAX_REQUEST_BYTES)} a request may be. Nothing was done: split it into smaller steps.`
  )
}
