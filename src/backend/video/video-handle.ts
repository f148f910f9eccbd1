// Runs in the backend (plain Node): one open video. Serves frame N as JPEG from the decoded-frame cache, or from
// a live ffmpeg that keeps decoding forward from the last seek (so play and stepping forward are nearly free)
// and pauses when it is a read-ahead window ahead of the playhead (bounded memory). A backward hint decodes
// the block before the playhead in the background, so stepping back is instant too. Frames that ffmpeg did not
// output where the index says they are get decoded again from further back (seek-plan.ts levels).
import { existsSync } from 'node:fs'
import { ApiError } from '../../shared/api/errors'
import type { FfmpegInfo } from '../ffmpeg/locate'
import { ChildGroup } from './child-processes'
import type { FrameCache } from './frame-cache'
import type { FrameIndex } from './frame-index'
import type { DecodeTarget } from './decoder-args'
import { FrameStream } from './frame-stream'
import type { ProbeResult, VideoInfo } from './probe'
import { MAX_SEEK_LEVEL } from './seek-plan'
import { WarmDecoder } from './warm-decoder'

export type PrefetchDirection = 'forward' | 'backward' | 'both'

export interface VideoHandle {
  /** Short lowercase token (matches the VideoId schema). */
  readonly id: string
  readonly info: VideoInfo
  /** time = seconds since frame 0. */
  frameTime(n: number): { frame: number; time: number; keyframe: boolean }
  /** JPEG bytes of frame n. ApiError 'bad-request' if n is out of range, 'not-found' if the file vanished. */
  getFrame(n: number, signal?: AbortSignal): Promise<Buffer>
  /** Hint: the user is at frame n and moving this way; decode around it in the background. */
  prefetch(n: number, direction: PrefetchDirection): void
  close(): void
}

export interface HandleOptions {
  id: string
  ffmpeg: FfmpegInfo
  probe: ProbeResult
  index: FrameIndex
  cache: FrameCache
  /** How far the live decoder may run ahead of the playhead, and the size of a backward block, in frames. */
  readAhead: number
  jpegQuality: number
  decoderThreads?: number
  warmDecoder: boolean
  onClose(id: string): void
}

interface Waiter {
  resolve(b: Buffer): void
  reject(e: Error): void
}

/** Diagnostics for tests and the benchmark. */
export interface HandleStats {
  live: { from: number; next: number; paused: boolean; ended: boolean } | null
  back: { from: number; to: number; next: number } | null
  children: number
  cachedFrames: number
}

export class Handle implements VideoHandle {
  readonly id: string
  readonly info: VideoInfo
  private readonly index: FrameIndex
  private live: FrameStream | null = null
  private back: FrameStream | null = null
  private readonly waiters = new Map<number, Set<Waiter>>()
  /** Seek level to use next for frames a stream failed to output. */
  private readonly retryLevel = new Map<number, number>()
  private readonly group = new ChildGroup()
  private readonly target: DecodeTarget
  private readonly warm: WarmDecoder
  private playhead = 0
  private direction: PrefetchDirection = 'forward'
  private closed = false
  private missing: ApiError | null = null
  /**
   * Raised to 1 once a level-0 seek missed its frame: some demuxers (MPEG-TS) land on the keyframe after the
   * one asked for, and starting a GOP earlier every time beats failing first every time.
   */
  private baseLevel = 0
  /**
   * Background refreshes a finished decoder may start before the user acts again: chains backward blocks,
   * but cannot loop forever when a cache too small for the window evicts what was just decoded.
   */
  private autoRefreshes = 0

  constructor(private readonly o: HandleOptions) {
    this.id = o.id
    this.info = o.probe.info
    this.index = o.index
    this.target = {
      ffmpeg: o.ffmpeg,
      path: o.probe.info.path,
      index: o.index,
      streamIndex: o.probe.streamIndex,
      formatStartTime: o.probe.formatStartTime,
      rotation: o.probe.info.rotation,
      output: { kind: 'jpeg', quality: o.jpegQuality },
      threads: o.decoderThreads
    }
    this.warm = new WarmDecoder(this.target, this.group)
    if (o.warmDecoder) this.warm.fill()
  }

  frameTime(n: number): { frame: number; time: number; keyframe: boolean } {
    this.check(n)
    return { frame: n, time: this.index.time(n), keyframe: this.index.key[n] === 1 }
  }

  getFrame(n: number, signal?: AbortSignal): Promise<Buffer> {
    try {
      this.check(n)
      if (this.closed) throw closedError()
      if (signal?.aborted) throw cancelled()
    } catch (e) {
      return Promise.reject(e)
    }
    this.setPlayhead(n)
    this.autoRefreshes = 4
    const hit = this.o.cache.get(this.id, n)
    if (hit) return Promise.resolve(hit)
    return new Promise<Buffer>((resolve, reject) => {
      const onAbort = (): void => {
        this.removeWaiter(n, w)
        reject(cancelled())
      }
      const w: Waiter = {
        resolve: (b) => {
          signal?.removeEventListener('abort', onAbort)
          resolve(b)
        },
        reject: (e) => {
          signal?.removeEventListener('abort', onAbort)
          reject(e)
        }
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      let set = this.waiters.get(n)
      if (!set) this.waiters.set(n, (set = new Set()))
      set.add(w)
      this.route(n)
    })
  }

  prefetch(n: number, direction: PrefetchDirection): void {
    if (this.closed || !Number.isInteger(n) || n < 0 || n >= this.index.count) return
    this.direction = direction
    this.setPlayhead(n)
    this.autoRefreshes = 4
    this.refresh()
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    this.warm.dispose()
    this.group.killAll()
    this.live = this.back = null
    for (const set of this.waiters.values()) for (const w of set) w.reject(closedError())
    this.waiters.clear()
    this.o.cache.dropVideo(this.id)
    this.o.onClose(this.id)
  }

  stats(): HandleStats {
    const l = this.live
    const b = this.back
    return {
      live: l ? { from: l.from, next: l.next, paused: l.paused, ended: l.ended } : null,
      back: b ? { from: b.from, to: b.to, next: b.next } : null,
      children: this.group.size,
      cachedFrames: countCached(this.o.cache, this.id, this.index.count)
    }
  }

  private check(n: number): void {
    const last = this.index.count - 1
    if (!Number.isInteger(n) || n < 0 || n > last) {
      throw new ApiError(
        'bad-request',
        `Frame ${n} does not exist: ${this.info.name} has frames 0 to ${last}.`
      )
    }
  }

  /** Makes sure some decoder will output frame n (a waiter is registered). */
  private route(n: number): void {
    if (this.will(this.live, n, this.o.readAhead)) return
    // A background block outputs its frames in increasing order: wait for it only when n comes next or nearly.
    if (this.will(this.back, n, Infinity) && n - this.back!.next <= 3) return
    const level = this.levelFor(n)
    if (level > MAX_SEEK_LEVEL) return this.rejectFrame(n, undecodable(this.info, this.index, n))
    if (this.missing) {
      if (!existsSync(this.info.path)) return this.rejectFrame(n, this.missing)
      this.missing = null // the file is back
    }
    this.startLive(n, level)
  }

  /** Background work for the playhead and direction last hinted. */
  private refresh(): void {
    if (this.closed || this.missing) return
    const n = this.playhead
    const last = this.index.count - 1
    const ahead = this.o.readAhead
    if (this.direction !== 'backward') {
      const f = this.firstUncached(n, Math.min(last, n + ahead), 1)
      if (f >= 0 && !this.will(this.live, f, ahead) && !this.will(this.back, f, Infinity)) {
        this.startLive(f, Math.min(this.levelFor(f), MAX_SEEK_LEVEL))
      }
    }
    if (this.direction !== 'forward' && n > 0) {
      const m = this.firstUncached(n - 1, Math.max(0, n - ahead), -1)
      if (m < 0 || this.will(this.back, m, Infinity) || this.will(this.live, m, ahead)) return
      const b = this.back
      // A block far from the playhead is stale (the user jumped): stop it; a near one finishes first.
      if (b && !b.ended && b.next >= n - 2 * ahead && b.from <= n + ahead) return
      b?.kill()
      // Nothing cached just below the playhead (a backward run starts): a short first block, so the next
      // step back is served soon; then full blocks keep ahead of the user.
      const from = Math.max(0, m - (m === n - 1 ? 8 : ahead) + 1)
      this.back = this.stream(from, m, Math.min(this.levelFor(m), MAX_SEEK_LEVEL), false)
    }
  }

  /** Moving backward, a live decoder would only decode frames already seen: then it stops after `from`. */
  private startLive(from: number, level: number): void {
    this.live?.kill()
    const to = this.direction === 'backward' ? from : this.index.count - 1
    this.live = this.stream(from, to, level, true)
  }

  /** useWarm: the user waits for this one (background blocks leave the warm process to the next seek). */
  private stream(from: number, to: number, level: number, useWarm: boolean): FrameStream {
    let refill = false
    const s: FrameStream = new FrameStream({
      target: this.target,
      from,
      to,
      level,
      group: this.group,
      warm: useWarm && this.o.warmDecoder ? this.warm : undefined,
      onFrame: (f, data) => {
        if (refill) {
          refill = false
          setImmediate(() => this.closed || this.warm.fill())
        }
        this.retryLevel.delete(f)
        this.o.cache.set(this.id, f, data)
        const set = this.waiters.get(f)
        if (set) {
          this.waiters.delete(f)
          for (const w of set) w.resolve(data)
        }
        // Backpressure: the live decoder waits once it is a window ahead of the playhead.
        if (s === this.live && f >= this.playhead + this.o.readAhead) s.pause()
      },
      onGap: (a, b) => this.failed(a, b, s.level),
      onEnd: (err) => {
        if (refill && !this.closed) this.warm.fill()
        this.ended(s, err)
      }
    })
    refill = s.warm
    return s
  }

  /** Frames a..b were not output by a stream at this level: retry waiters from further back. */
  private failed(a: number, b: number, level: number): void {
    if (level === 0) this.baseLevel = 1
    for (let f = a; f <= Math.min(b, a + 1000); f++) {
      this.retryLevel.set(f, Math.max(this.retryLevel.get(f) ?? 0, level + 1))
    }
    const waiting = [...this.waiters.keys()].filter((f) => f >= a && f <= b).sort((x, y) => x - y)
    if (waiting.length) queueMicrotask(() => this.reroute(waiting))
  }

  private ended(s: FrameStream, err: ApiError | null): void {
    if (s === this.live) this.live = null
    if (s === this.back) this.back = null
    if (this.closed) return
    const affected = [...this.waiters.keys()].filter((f) => f >= s.next && f <= s.to).sort((x, y) => x - y)
    if (err) {
      if (err.code === 'not-found') this.missing = err
      for (const f of affected) this.rejectFrame(f, err)
      return
    }
    // A clean end before `to`: ffmpeg ran out of pictures where the index still has frames.
    if (s.next <= s.to) this.failed(s.next, s.next, s.level)
    if (affected.length) this.reroute(affected)
    if (this.autoRefreshes-- > 0) this.refresh()
  }

  private reroute(frames: number[]): void {
    if (this.closed) return
    for (const f of frames) if (this.waiters.has(f)) this.route(f)
  }

  private levelFor(n: number): number {
    return Math.max(this.retryLevel.get(n) ?? 0, this.baseLevel)
  }

  private setPlayhead(n: number): void {
    this.playhead = n
    const l = this.live
    if (l?.paused && l.next < n + this.o.readAhead) l.resume()
  }

  private will(s: FrameStream | null, n: number, reach: number): boolean {
    return !!s && !s.ended && n >= s.next && n <= s.to && n - s.next <= reach
  }

  private firstUncached(from: number, to: number, step: 1 | -1): number {
    for (let f = from; step > 0 ? f <= to : f >= to; f += step) {
      if (!this.o.cache.has(this.id, f) && (this.retryLevel.get(f) ?? 0) <= MAX_SEEK_LEVEL) return f
    }
    return -1
  }

  private rejectFrame(n: number, e: Error): void {
    const set = this.waiters.get(n)
    if (!set) return
    this.waiters.delete(n)
    for (const w of set) w.reject(e)
  }

  private removeWaiter(n: number, w: Waiter): void {
    const set = this.waiters.get(n)
    set?.delete(w)
    if (set && !set.size) this.waiters.delete(n)
  }
}

function countCached(cache: FrameCache, id: string, count: number): number {
  let c = 0
  for (let f = 0; f < count; f++) if (cache.has(id, f)) c++
  return c
}

function cancelled(): ApiError {
  return new ApiError('cancelled', 'The frame request was cancelled.')
}

function closedError(): ApiError {
  return new ApiError('cancelled', 'The video was closed; open it again to show its frames.')
}

function undecodable(info: VideoInfo, index: FrameIndex, n: number): ApiError {
  return new ApiError(
    'io',
    `Frame ${n} (at ${index.time(n).toFixed(3)} s) of ${info.name} could not be decoded: the file is probably ` +
      'damaged or cut off there. Re-copy or re-export the video; the other frames can still be used.'
  )
}
