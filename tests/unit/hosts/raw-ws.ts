// Runs in Node (Vitest helper): a WebSocket client written by hand on a raw TCP socket to 127.0.0.1, so tests
// can send what no well-behaved client would — bad opcodes, unmasked frames, invalid UTF-8, lengths that lie —
// and raw HTTP requests with any Host and Origin headers.
import { randomBytes } from 'node:crypto'
import net from 'node:net'

export interface FrameSpec {
  opcode: number
  payload: Buffer
  fin?: boolean
  /** Clients must mask; false sends the payload bare (a protocol error). */
  mask?: boolean
  rsv?: number
  /** Announce this length instead of the payload's own. */
  declaredLength?: number
}

/** The bytes of one WebSocket frame as a client sends it. */
export function encodeFrame(f: FrameSpec): Buffer {
  const mask = f.mask ?? true
  const len = f.declaredLength ?? f.payload.length
  const head: number[] = [((f.fin ?? true) ? 0x80 : 0) | ((f.rsv ?? 0) << 4) | (f.opcode & 0x0f)]
  const maskBit = mask ? 0x80 : 0
  let ext = Buffer.alloc(0)
  if (len < 126) head.push(maskBit | len)
  else if (len < 65536) {
    head.push(maskBit | 126)
    ext = Buffer.alloc(2)
    ext.writeUInt16BE(len)
  } else {
    head.push(maskBit | 127)
    ext = Buffer.alloc(8)
    ext.writeBigUInt64BE(BigInt(len))
  }
  if (!mask) return Buffer.concat([Buffer.from(head), ext, f.payload])
  const key = randomBytes(4)
  const body = Buffer.from(f.payload)
  for (let i = 0; i < body.length; i++) body[i]! ^= key[i % 4]!
  return Buffer.concat([Buffer.from(head), ext, key, body])
}

export const textFrame = (text: string): Buffer => encodeFrame({ opcode: 1, payload: Buffer.from(text) })

export interface RawConnection {
  socket: net.Socket
  /** Everything the server sent after the handshake. */
  received(): Buffer
  /** Resolves once the server (or we) closed the connection, with all that arrived. */
  closed: Promise<Buffer>
}

/** Opens a socket and sends `request` as is; resolves with the server's whole answer once it closes. */
export function rawHttp(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    socket.on('data', (c) => chunks.push(c))
    socket.on('error', reject)
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')))
    socket.write(request)
  })
}

/** Completes a WebSocket handshake on a raw socket (Host and Origin as given) and hands the socket over. */
export function rawWebSocket(
  port: number,
  token: string,
  headers: Record<string, string> = {}
): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1')
    let buffered = Buffer.alloc(0)
    let upgraded = false
    let after = Buffer.alloc(0)
    let done: (b: Buffer) => void = () => undefined
    const closed = new Promise<Buffer>((r) => (done = r))
    socket.on('error', () => undefined)
    socket.on('close', () => {
      done(after)
      if (!upgraded) reject(new Error(`no upgrade: ${buffered.toString('utf8')}`))
    })
    socket.on('data', (chunk) => {
      if (upgraded) {
        after = Buffer.concat([after, chunk])
        return
      }
      buffered = Buffer.concat([buffered, chunk])
      const end = buffered.indexOf('\r\n\r\n')
      if (end < 0) return
      const head = buffered.subarray(0, end).toString('utf8')
      if (!head.startsWith('HTTP/1.1 101')) return socket.destroy()
      upgraded = true
      after = buffered.subarray(end + 4)
      resolve({ socket, received: () => after, closed })
    })
    const extra = Object.entries({ Host: `127.0.0.1:${port}`, ...headers })
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('')
    socket.write(
      `GET /ws?t=${encodeURIComponent(token)} HTTP/1.1\r\n${extra}Upgrade: websocket\r\n` +
        `Connection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n` +
        'Sec-WebSocket-Version: 13\r\n\r\n'
    )
  })
}

/** The close code in the first close frame the server sent (0 when none). */
export function closeCode(fromServer: Buffer): number {
  let i = 0
  while (i + 2 <= fromServer.length) {
    const opcode = fromServer[i]! & 0x0f
    let len = fromServer[i + 1]! & 0x7f
    let at = i + 2
    if (len === 126) {
      len = fromServer.readUInt16BE(at)
      at += 2
    } else if (len === 127) {
      len = Number(fromServer.readBigUInt64BE(at))
      at += 8
    }
    if (opcode === 8) return len >= 2 ? fromServer.readUInt16BE(at) : 0
    i = at + len
  }
  return 0
}
