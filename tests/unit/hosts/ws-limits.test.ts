// Runs in Node (Vitest): browser mode's WebSocket takes the largest real request (the undo of "mark not
// visible" over a one-hour clip) and answers it; a request over the limit gets a clear error to its own id on a
// connection that stays open; a message past what the socket reads closes that connection alone (code 1009).
// A real backend and server; the message sizes are measured, not assumed.
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { MAX_FRAME_BYTES, MAX_REQUEST_BYTES } from '../../../src/backend/hosts/ws-endpoint'
import { createColumns, setFrame } from '@shared/project/columns'
import { invertEdit, markNotVisible } from '@shared/project/edits'
import { until } from '../../helpers/video-test-dir'
import { closeCode, encodeFrame, rawWebSocket } from './raw-ws'
import { serveDuringFile } from './test-server'

const server = serveDuringFile('ws-limits-')

function connect(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?t=${server.token}`, { maxPayload: 0 })
    ws.once('open', () => resolve(ws))
    ws.once('error', reject)
  })
}

/** The answer to request `id`; fails if the server closes the connection first. */
function reply(ws: WebSocket, id: number): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const on = (data: WebSocket.RawData): void => {
      const m = JSON.parse(data.toString()) as Record<string, unknown>
      if (m.type === 'response' && m.id === id) {
        ws.off('message', on)
        resolve(m)
      }
    }
    ws.on('message', on)
    ws.once('close', (code) => reject(new Error(`the server closed the connection (${code})`)))
  })
}

async function ask(ws: WebSocket, id: number, method: string, params: unknown) {
  const answer = reply(ws, id)
  ws.send(JSON.stringify({ type: 'request', id, method, params }))
  return answer
}

/** The undo a client sends after "mark not visible" over every frame of a clip the tracker labelled. */
function undoOfMarkNotVisible(frames: number): unknown {
  const before = createColumns(frames)
  for (let f = 0; f < frames; f++) {
    // The widest realistic label: a visible model point with full-precision coordinates and confidence.
    const x = 1919.123456789 - (f % 1000) * 1.000123
    const y = 1079.987654321 - (f % 500) * 1.000321
    setFrame(before, f, {
      visibility: 'visible',
      x,
      y,
      source: 'model',
      review: 'unreviewed',
      confidence: 0.8765
    })
  }
  return invertEdit(before, markNotVisible(0, frames - 1))
}

describe('WebSocket message limits', () => {
  it('reads and answers the undo of a one-hour clip (110,000 frames), far over the old 1 MiB', async () => {
    const undo = undoOfMarkNotVisible(110_000)
    const message = JSON.stringify({
      type: 'request',
      id: 1,
      method: 'labels.edit',
      params: { clipId: 'c-abcdef12', edits: [undo] }
    })
    const bytes = Buffer.byteLength(message)
    console.log(`undo over 110,000 frames: ${(bytes / 2 ** 20).toFixed(2)} MiB`)
    expect(bytes).toBeGreaterThan(1 << 20)
    expect(bytes).toBeLessThan(MAX_REQUEST_BYTES / 2)
    const ws = await connect()
    const answer = reply(ws, 1)
    ws.send(message)
    // Read whole and validated: the answer is about the project, not the message's size.
    expect(await answer).toMatchObject({ ok: false, error: { message: expect.stringMatching(/No project/) } })
    expect(await ask(ws, 2, 'app.info', {})).toMatchObject({ ok: true })
    ws.close()
  })

  it('answers a request over the limit with a clear error to its id, and keeps the connection', async () => {
    const ws = await connect()
    const padding = 'x'.repeat(MAX_REQUEST_BYTES + 10)
    const answer = await ask(ws, 7, 'labels.edit', { clipId: 'c-abcdef12', edits: [], padding })
    expect(answer).toMatchObject({ ok: false, error: { code: 'bad-request' } })
    const message = (answer.error as { message: string }).message
    expect(message).toMatch(
      /^labels\.edit: the request is 33,554,\d{3} bytes, over the 32 MiB a request may be\. Nothing was done/
    )
    expect(ws.readyState).toBe(WebSocket.OPEN)
    expect(await ask(ws, 8, 'app.info', {})).toMatchObject({ ok: true })
    ws.close()
  })

  it('closes only the connection that announces more than the socket reads (1009); others go on', async () => {
    const other = await connect()
    const raw = await rawWebSocket(server.port, server.token)
    // The header announces the size: refused before a byte of the payload is kept.
    raw.socket.write(
      encodeFrame({ opcode: 1, payload: Buffer.alloc(1024, 0x20), declaredLength: MAX_FRAME_BYTES + 1 })
    )
    await until(() => closeCode(raw.received()) !== 0, 30_000, 'the close frame')
    expect(closeCode(raw.received())).toBe(1009)
    raw.socket.end()
    await raw.closed
    expect(await ask(other, 9, 'app.info', {})).toMatchObject({ ok: true })
    other.close()
  })
})
