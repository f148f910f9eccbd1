// Runs in the backend (plain Node): the frame requests of one open video that wait for a decoder, by frame.
// Every request ends: served, cancelled by its caller, rejected by the handle, or, as the last safety net
// against a decoder that never gets to it, failed with a clear message after a bounded wait.
import { ApiError } from '../../shared/api/errors'

interface Waiter {
  resolve(b: Buffer): void
  reject(e: Error): void
}

/** How long a frame request may wait for its decoder before it fails, unless the engine is told otherwise. */
export const DEFAULT_FRAME_WAIT_MS = 45_000

export class FrameWaiters {
  private readonly byFrame = new Map<number, Set<Waiter>>()

  /**
   * limitMs: the bounded wait. timedOut(n): the error a request for frame n gets when it runs out.
   * dropped(): a request left without being served (cancelled or timed out), so the owner can stop a decoder
   * that nobody waits for any more.
   */
  constructor(
    private readonly limitMs: number,
    private readonly timedOut: (n: number) => ApiError,
    private readonly dropped: () => void
  ) {}

  /** A request for frame n; it fails with cancelled() when the signal fires. */
  add(n: number, signal: AbortSignal | undefined, cancelled: () => ApiError): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      const settle = (): void => {
        clearTimeout(timer)
        signal?.removeEventListener('abort', onAbort)
      }
      const w: Waiter = {
        resolve: (b) => {
          settle()
          resolve(b)
        },
        reject: (e) => {
          settle()
          reject(e)
        }
      }
      const drop = (e: ApiError): void => {
        this.remove(n, w)
        w.reject(e)
        this.dropped()
      }
      const onAbort = (): void => drop(cancelled())
      const timer = setTimeout(() => drop(this.timedOut(n)), this.limitMs)
      signal?.addEventListener('abort', onAbort, { once: true })
      let set = this.byFrame.get(n)
      if (!set) this.byFrame.set(n, (set = new Set()))
      set.add(w)
    })
  }

  has(n: number): boolean {
    return this.byFrame.has(n)
  }

  /** Whether any request waits for a frame in [a, b]. */
  anyIn(a: number, b: number): boolean {
    for (const f of this.byFrame.keys()) if (f >= a && f <= b) return true
    return false
  }

  /** The frames requested, in increasing order (optionally only those in [a, b]). */
  frames(a = -Infinity, b = Infinity): number[] {
    return [...this.byFrame.keys()].filter((f) => f >= a && f <= b).sort((x, y) => x - y)
  }

  resolve(n: number, data: Buffer): void {
    const set = this.byFrame.get(n)
    if (!set) return
    this.byFrame.delete(n)
    for (const w of set) w.resolve(data)
  }

  reject(n: number, e: Error): void {
    const set = this.byFrame.get(n)
    if (!set) return
    this.byFrame.delete(n)
    for (const w of set) w.reject(e)
  }

  rejectAll(e: Error): void {
    const all = [...this.byFrame.values()]
    this.byFrame.clear()
    for (const set of all) for (const w of set) w.reject(e)
  }

  private remove(n: number, w: Waiter): void {
    const set = this.byFrame.get(n)
    set?.delete(w)
    if (set && !set.size) this.byFrame.delete(n)
  }
}
