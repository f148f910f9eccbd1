// Runs in Node (Vitest): browser mode's server under attack on its WebSocket, by a hand-written client on raw
// TCP sockets to 127.0.0.1: bad opcodes, unmasked frames, invalid UTF-8, reserved bits, lying lengths, random
// bytes (fast-check, fixed seed), floods of requests and of connections, handshakes cut off. Each costs the
// sender its connection at most; afterwards the server still answers a normal request. Before every socket
// had an 'error' listener, the first of these ended the process.
import net from 'node:net'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { MAX_FRAME_BYTES } from '../../../src/backend/hosts/ws-endpoint'
import { until } from '../../helpers/video-test-dir'
import { closeCode, encodeFrame, rawHttp, rawWebSocket, textFrame, type FrameSpec } from './raw-ws'
import { serveDuringFile } from './test-server'

const server = serveDuringFile('ws-fuzz-')

/** Sends the bytes on a fresh connection; waits for the server's close frame; returns its code. */
async function closedBy(bytes: Buffer): Promise<number> {
  const c = await rawWebSocket(server.port, server.token)
  c.socket.write(bytes)
  await until(() => closeCode(c.received()) !== 0 || c.socket.destroyed, 30_000, 'the close frame')
  c.socket.end()
  return closeCode(await c.closed)
}

/** The server still speaks the contract to a normal client. */
async function stillAnswers(): Promise<void> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?t=${server.token}`)
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
  const reply = new Promise<Record<string, unknown>>((resolve) =>
    ws.once('message', (d) => resolve(JSON.parse(d.toString()) as Record<string, unknown>))
  )
  ws.send(JSON.stringify({ type: 'request', id: 1, method: 'app.info', params: {} }))
  expect(await reply).toMatchObject({ id: 1, ok: true, result: { host: 'browser' } })
  ws.close()
}

const text = (payload: Buffer, more: Partial<FrameSpec> = {}): Buffer =>
  encodeFrame({ opcode: 1, payload, ...more })

describe('WebSocket fuzzing', () => {
  it('closes a connection that breaks the protocol, with the code that says why', async () => {
    const cases: [string, Buffer, number][] = [
      ['unmasked frame', text(Buffer.from('{}'), { mask: false }), 1002],
      ['invalid UTF-8', text(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), 1007],
      ['reserved bits', text(Buffer.from('{}'), { rsv: 0b100 }), 1002],
      ['continuation first', encodeFrame({ opcode: 0, payload: Buffer.from('x') }), 1002],
      ['fragmented ping', encodeFrame({ opcode: 9, payload: Buffer.from('x'), fin: false }), 1002],
      ['long ping', encodeFrame({ opcode: 9, payload: Buffer.alloc(200) }), 1002],
      ['huge length', text(Buffer.alloc(16), { declaredLength: 2 ** 53 - 1 }), 1009],
      ['over the limit', text(Buffer.alloc(16), { declaredLength: MAX_FRAME_BYTES + 1 }), 1009],
      ['bad close code', encodeFrame({ opcode: 8, payload: Buffer.from([0x03, 0xe7]) }), 1002],
      ['one-byte close', encodeFrame({ opcode: 8, payload: Buffer.from([0x03]) }), 1002]
    ]
    for (const opcode of [3, 4, 5, 6, 7, 0xb, 0xc, 0xd, 0xe, 0xf]) {
      cases.push([`opcode ${opcode}`, encodeFrame({ opcode, payload: Buffer.from('x') }), 1002])
    }
    for (const [what, bytes, code] of cases) expect(await closedBy(bytes), what).toBe(code)
    await stillAnswers()
  })

  it('answers text that is not a request, and binary frames, on a connection that stays open', async () => {
    const c = await rawWebSocket(server.port, server.token)
    const bad = ['{not json', '[]', 'null', '"x"', '{"type":"request","id":-1}', '{"id":5,"method":7}']
    for (const t of bad) c.socket.write(textFrame(t))
    c.socket.write(encodeFrame({ opcode: 2, payload: Buffer.from('{"type":"request"}') }))
    c.socket.write(encodeFrame({ opcode: 9, payload: Buffer.from('ping') }))
    await until(
      () =>
        (
          c
            .received()
            .toString('latin1')
            .match(/"ok":false/g) ?? []
        ).length === 7
    )
    expect(closeCode(c.received())).toBe(0)
    c.socket.end()
    await c.closed
    await stillAnswers()
  })

  it('survives random bytes after the handshake (fast-check, fixed seed)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 96 }), async (bytes) => {
        const c = await rawWebSocket(server.port, server.token)
        c.socket.end(Buffer.from(bytes))
        await c.closed
      }),
      { seed: 424242, numRuns: 150 }
    )
    await stillAnswers()
  })

  it('answers every request of a flood, and survives floods of connections and cut handshakes', async () => {
    const c = await rawWebSocket(server.port, server.token)
    const n = 3000
    const burst = Buffer.concat(
      Array.from({ length: n }, (_, i) =>
        textFrame(JSON.stringify({ type: 'request', id: i + 1, method: 'app.info', params: {} }))
      )
    )
    c.socket.write(burst)
    const answered = (): number =>
      (
        c
          .received()
          .toString('latin1')
          .match(/"ok":true/g) ?? []
      ).length
    await until(() => answered() === n, 60_000, `${n} answers`)
    c.socket.end()
    await c.closed

    for (let i = 0; i < 200; i++) {
      const s = net.connect(server.port, '127.0.0.1')
      s.on('error', () => undefined)
      s.resume() // read (and drop) the server's 400, or 'close' never comes
      const half = i % 2 === 0
      s.write(
        half ? 'GET /ws?t=' : `GET /ws?t=${server.token} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n`
      )
      await new Promise<void>((resolve) => s.once('close', () => resolve()).end())
    }
    const junk = await rawHttp(server.port, 'GARBAGE\r\n\r\n')
    expect(junk).toMatch(/^HTTP\/1\.1 400/)
    for (const [key, version] of [
      ['not-a-key', '13'],
      ['dGhlIHNhbXBsZSBub25jZQ==', '99']
    ]) {
      const handshake = await rawHttp(
        server.port,
        `GET /ws?t=${server.token} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nUpgrade: websocket\r\n` +
          `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: ${version}\r\n\r\n`
      )
      expect(handshake).toMatch(/^HTTP\/1\.1 400/)
    }
    await stillAnswers()
  })
})
