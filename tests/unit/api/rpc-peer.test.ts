// Runs in Node (Vitest): the one request/response peer every link of the studio uses. Requests get distinct
// ids, answers settle the request with their id in any order, an id the peer does not hold changes nothing, a
// timeout, a drop and a close fail what they must and nothing else, a sent request is never sent twice unless
// resending was asked for, and listeners come and go. The last test runs it over a real MessagePort pair.
import fc from 'fast-check'
import { MessageChannel } from 'node:worker_threads'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { RpcPeer, type PendingRequest } from '@shared/api/rpc-peer'

/** A link that records what went out on it. */
function recorder<Req>(): { sent: { id: number; request: Req }[]; send: (id: number, r: Req) => void } {
  const sent: { id: number; request: Req }[] = []
  return { sent, send: (id, request) => sent.push({ id, request }) }
}

/** What a promise settled with, once it has. */
async function outcome(p: Promise<unknown>): Promise<{ value?: unknown; error?: Error }> {
  return p.then(
    (value) => ({ value }),
    (error: Error) => ({ error })
  )
}

const lostError = (p: PendingRequest<string>): Error => new Error(`lost ${p.request} sent=${p.sent}`)

afterEach(() => vi.useRealTimers())

describe('rpc peer', () => {
  it('numbers requests with distinct ids and sends each once, in order', () => {
    const peer = new RpcPeer<string>()
    const link = recorder<string>()
    peer.connect(link.send)
    void peer.request('a')
    void peer.request('b')
    void peer.request('c')
    expect(link.sent.map((s) => s.request)).toEqual(['a', 'b', 'c'])
    expect(new Set(link.sent.map((s) => s.id)).size).toBe(3)
    expect(peer.pendingCount).toBe(3)
  })

  it('matches answers arriving in any order to their own requests', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: 20 })
          .chain((n) =>
            fc.tuple(fc.constant(n), fc.shuffledSubarray([...Array(n).keys()], { minLength: n }))
          ),
        async ([n, order]) => {
          const peer = new RpcPeer<number, string>()
          const link = recorder<number>()
          peer.connect(link.send)
          const answers = [...Array(n).keys()].map((i) => peer.request(i))
          for (const k of order)
            expect(peer.resolve(link.sent[k]!.id, `answer ${link.sent[k]!.request}`)).toBe(true)
          expect(await Promise.all(answers)).toEqual([...Array(n).keys()].map((i) => `answer ${i}`))
          expect(peer.pendingCount).toBe(0)
        }
      ),
      { numRuns: 50 }
    )
  })

  it('ignores an answer to an id it does not hold, and a second answer to the same id', async () => {
    const peer = new RpcPeer<string, string>()
    const link = recorder<string>()
    peer.connect(link.send)
    const answer = peer.request('a')
    const id = link.sent[0]!.id
    expect(peer.resolve(id + 100, 'stray')).toBe(false)
    expect(peer.reject(-1, new Error('stray'))).toBe(false)
    expect(peer.pendingCount).toBe(1)
    expect(peer.resolve(id, 'right')).toBe(true)
    expect(peer.reject(id, new Error('late'))).toBe(false)
    await expect(answer).resolves.toBe('right')
  })

  it('rejects a request with the error answer given for it', async () => {
    const peer = new RpcPeer<string>()
    const link = recorder<string>()
    peer.connect(link.send)
    const answer = peer.request('a')
    peer.reject(link.sent[0]!.id, new Error('refused by the other side'))
    await expect(answer).rejects.toThrow('refused by the other side')
  })

  it('keeps requests made before a link exists and sends them once when it comes', async () => {
    const peer = new RpcPeer<string, string>()
    const answer = peer.request('early')
    expect(peer.pendingCount).toBe(1)
    const link = recorder<string>()
    peer.connect(link.send)
    peer.connect(link.send)
    expect(link.sent.map((s) => s.request)).toEqual(['early'])
    peer.resolve(link.sent[0]!.id, 'done')
    await expect(answer).resolves.toBe('done')
  })

  it('on a drop fails what was sent, keeps what was not, and never resends by default', async () => {
    const peer = new RpcPeer<string>()
    const first = recorder<string>()
    peer.connect(first.send)
    const inFlight = peer.request('in flight')
    peer.disconnect(lostError)
    const queued = peer.request('while down')
    expect((await outcome(inFlight)).error?.message).toBe('lost in flight sent=true')
    expect(peer.pendingCount).toBe(1)

    const second = recorder<string>()
    peer.connect(second.send)
    expect(second.sent.map((s) => s.request)).toEqual(['while down'])
    peer.resolve(second.sent[0]!.id, 'ok')
    await expect(queued).resolves.toBe('ok')
    expect(first.sent.map((s) => s.request)).toEqual(['in flight'])
  })

  it('with resendOnReconnect sends what was in flight again on the next link', async () => {
    const peer = new RpcPeer<string>({ resendOnReconnect: true })
    const first = recorder<string>()
    peer.connect(first.send)
    const inFlight = peer.request('in flight')
    peer.disconnect(lostError)
    expect(peer.pendingCount).toBe(1)
    const second = recorder<string>()
    peer.connect(second.send)
    expect(second.sent).toEqual(first.sent)
    peer.resolve(second.sent[0]!.id, 'answered after the reconnect')
    await expect(inFlight).resolves.toBe('answered after the reconnect')
  })

  it('failWaiting fails everything held and says which went out', async () => {
    const peer = new RpcPeer<string>()
    const link = recorder<string>()
    peer.connect(link.send)
    const sent = peer.request('sent')
    peer.disconnect(lostError)
    const notSent = peer.request('not sent')
    peer.failWaiting((p) => new Error(`${p.request}: sent=${p.sent}`))
    expect((await outcome(sent)).error?.message).toBe('lost sent sent=true')
    expect((await outcome(notSent)).error?.message).toBe('not sent: sent=false')
    expect(peer.pendingCount).toBe(0)
  })

  it('close rejects every held request and every later one, and sends nothing more', async () => {
    const peer = new RpcPeer<string>()
    const link = recorder<string>()
    peer.connect(link.send)
    const held = peer.request('held')
    peer.close((p) => new Error(`closed: ${p.request}`))
    expect((await outcome(held)).error?.message).toBe('closed: held')
    expect((await outcome(peer.request('later'))).error?.message).toBe('closed: later')
    peer.connect(link.send)
    expect(link.sent.map((s) => s.request)).toEqual(['held'])
    expect(peer.pendingCount).toBe(0)
  })

  it('a send that throws fails that request only', async () => {
    const peer = new RpcPeer<string, string>()
    const link = recorder<string>()
    peer.connect((id, r) => {
      if (r === 'bad') throw new Error('cannot be posted')
      link.send(id, r)
    })
    const bad = peer.request('bad')
    const good = peer.request('good')
    expect((await outcome(bad)).error?.message).toBe('cannot be posted')
    peer.resolve(link.sent[0]!.id, 'fine')
    await expect(good).resolves.toBe('fine')
  })

  it('fails a request left unanswered past its timeout, and only that one', async () => {
    vi.useFakeTimers()
    const peer = new RpcPeer<string>({
      timeoutMs: 1000,
      timeoutError: (p, ms) => new Error(`${p.request} waited ${ms} ms (sent=${p.sent})`)
    })
    const link = recorder<string>()
    peer.connect(link.send)
    const slow = peer.request('slow')
    const answered = peer.request('answered')
    const patient = peer.request('patient', 5000)
    peer.resolve(link.sent[1]!.id, 'in time')
    vi.advanceTimersByTime(999)
    expect(peer.pendingCount).toBe(2)
    vi.advanceTimersByTime(1)
    expect((await outcome(slow)).error?.message).toBe('slow waited 1000 ms (sent=true)')
    await expect(answered).resolves.toBe('in time')
    expect(peer.resolve(link.sent[0]!.id, 'too late')).toBe(false)
    expect(peer.pendingCount).toBe(1)
    vi.advanceTimersByTime(4000)
    expect((await outcome(patient)).error?.message).toBe('patient waited 5000 ms (sent=true)')
    // An answered request leaves no timer behind.
    expect(vi.getTimerCount()).toBe(0)
  })

  it('without a timeout a request waits as long as it takes', () => {
    vi.useFakeTimers()
    const peer = new RpcPeer<string>()
    peer.connect(recorder<string>().send)
    void peer.request('long')
    expect(vi.getTimerCount()).toBe(0)
    vi.advanceTimersByTime(3_600_000)
    expect(peer.pendingCount).toBe(1)
  })

  it('listeners hear their own event until they stop listening', () => {
    const peer = new RpcPeer<string>()
    const heard: string[] = []
    const stopA = peer.on('tick', (p) => heard.push(`a ${String(p)}`))
    peer.on('tick', (p) => heard.push(`b ${String(p)}`))
    peer.on('other', (p) => heard.push(`other ${String(p)}`))
    peer.emit('tick', 1)
    stopA()
    stopA()
    peer.emit('tick', 2)
    peer.emit('nobody', 3)
    expect(heard).toEqual(['a 1', 'b 1', 'b 2'])
  })

  it('a listener added while an event is delivered hears the next one, not that one', () => {
    const peer = new RpcPeer<string>()
    const heard: string[] = []
    peer.on('tick', () => {
      heard.push('first')
      peer.on('tick', () => heard.push('added'))
    })
    peer.emit('tick', null)
    expect(heard).toEqual(['first'])
  })

  it('works over a real MessagePort pair, answers out of order', async () => {
    const { port1, port2 } = new MessageChannel()
    try {
      const peer = new RpcPeer<number, number>()
      port1.on('message', (m: { id: number; result: number }) => peer.resolve(m.id, m.result))
      peer.connect((id, n) => port1.postMessage({ id, n }))
      const got: { id: number; n: number }[] = []
      port2.on('message', (m: { id: number; n: number }) => {
        got.push(m)
        // Answers the three requests in reverse order once all have arrived.
        if (got.length === 3) for (const r of got.reverse()) port2.postMessage({ id: r.id, result: r.n * 10 })
      })
      await expect(Promise.all([peer.request(1), peer.request(2), peer.request(3)])).resolves.toEqual([
        10, 20, 30
      ])
    } finally {
      port1.close()
      port2.close()
    }
  })
})
