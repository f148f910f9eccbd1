// Runs in Node (Vitest helper): a client of browser mode's real WebSocket route, as the renderer talks to it —
// requests in the contract's envelope, answers matched by id; an answer is the wire's ok/result or ok/error.
import WebSocket from 'ws'

export type Answer = { ok: true; result: unknown } | { ok: false; error: { code: string; message: string } }

export interface WsClient {
  call(method: string, params: unknown): Promise<Answer>
  /** False once the server closed the connection (it must never, whatever a request holds). */
  open(): boolean
  close(): void
}

export async function connect(port: number, token: string): Promise<WsClient> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?t=${encodeURIComponent(token)}`)
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  let nextId = 1
  const waiting = new Map<number, (a: Answer) => void>()
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as { type?: string; id?: number } & Answer
    if (msg.type !== 'response' || typeof msg.id !== 'number') return
    waiting.get(msg.id)?.(msg)
    waiting.delete(msg.id)
  })
  const gone = (): void => {
    for (const answer of waiting.values())
      answer({ ok: false, error: { code: 'connection-lost', message: 'the server closed the connection' } })
    waiting.clear()
  }
  ws.on('close', gone)
  return {
    call: (method, params) =>
      new Promise<Answer>((resolve) => {
        if (ws.readyState !== WebSocket.OPEN) {
          resolve({ ok: false, error: { code: 'connection-lost', message: 'not connected' } })
          return
        }
        const id = nextId++
        waiting.set(id, resolve)
        ws.send(JSON.stringify({ type: 'request', id, method, params }))
      }),
    open: () => ws.readyState === WebSocket.OPEN,
    close: () => ws.close()
  }
}
