// Runs in the backend (plain Node): one open video. Serves frame N as JPEG from the decoded-frame cache, or from
// a live ffmpeg that keeps decoding forward from the last seek (so play and stepping forward are nearly free)
// and pauses when it is a read-ahead window ahead of the playhead (bounded memory). A backward hint decodes
// the block before the playhead in the background, so stepping back is instant too. Frames that ffmpeg did not
// output where the index says they are get decoded again from further back (seek-plan.ts levels). A request
// far from the playhead gets a decoder of its own (a few at most, the rest wait their turn), so requests for
// far-apart frames all arrive; a decoder replaced or stopped hands its requests on, never drops them.
import { existsSync } from 'node:fs'
import { ApiError } from '../../shared/api/errors'
import type { FfmpegInfo } from '../ffmpeg/locate'
import { ChildGroup } from './child-processes'
import type { FrameCache } from './frame-cache'
import type { FrameIndex } from './frame-index'
import type { DecodeTarget } from './decoder-args'
import { FrameStream } from './frame-stream'
import { cancelled, closedError, notReady, undecodable } from './frame-request-errors'
import { DEFAULT_FRAME_WAIT_MS, FrameWaiters } from './frame-waiters'
import type { ProbeResult, VideoInfo } from './probe'
import { MAX_SEEK_LEVEL } from './seek-plan'
import { WarmDecoder } from './warm-decoder'
import { KeyframePreviews, pictureNear, type Preview } from './keyframe-previews'
import type { HandleStats, PrefetchDirection, VideoHandle } from './video-handle-api'

export type { HandleStats, PrefetchDirection, VideoHandle } from './video-handle-api'

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
  /** How long a frame request may wait before it fails with a message (default DEFAULT_FRAME_WAIT_MS). */
  frameWaitMs?: number
  onClose(id: string): void
}

/**
 * Decoders serving requests away from the playhead, besides the live and backward ones: enough for a
 * tracker's look-up and a thumbnail strip at once, few enough that one video cannot start a crowd of ffmpegs.
 */
export const MAX_SIDE_DECODERS = 2

/** How long after a video's first frame request its keyframe previews start decoding. */
export const PREVIEW_DELAY_MS = 400

export class Handle implements VideoHandle {
  readonly id: string
  readonly info: VideoInfo
  private readonly index: FrameIndex
  private live: FrameStream | null = null
  private back: FrameStream | null = null
  private readonly side = new Set<FrameStream>()
  private readonly waiters: FrameWaiters
  /** Seek level to use next for frames a stream failed to output. */
  private readonly retryLevel = new Map<number, number>()
  private readonly group = new ChildGroup()
  private readonly target: DecodeTarget
  private readonly warm: WarmDecoder
  private readonly previews: KeyframePreviews
  private previewTimer: NodeJS.Timeout | null = null
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
    const waitMs = o.frameWaitMs ?? DEFAULT_FRAME_WAIT_MS
    this.waiters = new FrameWaiters(
      waitMs,
      (n) => notReady(this.info, n, waitMs),
      () => queueMicrotask(() => this.pruneSide())
    )
    this.warm = new WarmDecoder(this.target, this.group)
    if (o.warmDecoder) this.warm.fill()
    this.previews = new KeyframePreviews(this.target, this.group)
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
    // Previews for a video someone looks at, after its first frame has had the cores to itself.
    this.previewTimer ??= setTimeout(() => this.previews.start(), PREVIEW_DELAY_MS).unref()
    const hit = this.o.cache.get(this.id, n)
    if (hit) return Promise.resolve(hit)
    const p = this.waiters.add(n, signal, cancelled)
    this.route(n)
    return p
  }

  prefetch(n: number, direction: PrefetchDirection): void {
    if (this.closed || !Number.isInteger(n) || n < 0 || n >= this.index.count) return
    this.direction = direction
    this.setPlayhead(n)
    this.autoRefreshes = 4
    this.refresh()
  }

  preview(n: number): Preview | null {
    if (this.closed || !Number.isInteger(n) || n < 0 || n >= this.index.count) return null
    return pictureNear(n, this.previews, (f) => this.o.cache.get(this.id, f))
  }

  /** False once closed (by its last opener, or by the engine). */
  get isOpen(): boolean {
    return !this.closed
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    this.warm.dispose()
    if (this.previewTimer) clearTimeout(this.previewTimer)
    this.previews.close()
    this.group.killAll()
    this.live = this.back = null
    this.side.clear()
    this.waiters.rejectAll(closedError())
    this.o.cache.dropVideo(this.id)
    this.o.onClose(this.id)
  }

  stats(): HandleStats {
    const l = this.live
    const b = this.back
    return {
      live: l ? { from: l.from, next: l.next, paused: l.paused, ended: l.ended } : null,
      back: b ? { from: b.from, to: b.to, next: b.next } : null,
      side: this.side.size,
      children: this.group.size,
      cachedFrames: countCached(this.o.cache, this.id, this.index.count),
      previews: { state: this.previews.state, count: this.previews.count, bytes: this.previews.bytes }
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

  /**
   * Makes sure some decoder will output frame n (a waiter is registered), or leaves n waiting for a side
   * decoder to come free (serveWaiting runs whenever a decoder ends or is stopped).
   */
  private route(n: number): void {
    const live = this.live
    if (this.will(live, n, this.o.readAhead)) {
      live!.resume() // paused a window ahead of an earlier playhead; n is within its reach
      return
    }
    if (this.covered(n)) return
    const level = this.levelFor(n)
    if (level > MAX_SEEK_LEVEL) return this.waiters.reject(n, undecodable(this.info, this.index, n))
    if (this.missing) {
      if (!existsSync(this.info.path)) return this.waiters.reject(n, this.missing)
      this.missing = null // the file is back
    }
    // The playhead's frame takes the live decoder; a request elsewhere gets a side decoder, or the live one
    // when that serves nobody (it was only reading ahead). Only one frame is the playhead, so two requests
    // can never take the live decoder from each other in turn.
    if (n === this.playhead) return this.startLive(n, level)
    if (this.side.size < MAX_SIDE_DECODERS) {
      const to = Math.min(this.index.count - 1, n + this.o.readAhead)
      this.side.add(this.stream(n, to, level, false))
      return
    }
    if (!live || !this.servesWaiters(live)) this.startLive(n, level)
  }

  /** Whether a running decoder other than the live one will output frame n soon. */
  private covered(n: number): boolean {
    // A background block outputs its frames in increasing order: wait for it only when n comes next or nearly.
    if (this.will(this.back, n, Infinity) && n - this.back!.next <= 3) return true
    for (const s of this.side) if (this.will(s, n, this.o.readAhead)) return true
    return false
  }

  /** Whether a request waits for a frame this decoder is on its way to. */
  private servesWaiters(s: FrameStream): boolean {
    return !s.ended && this.waiters.anyIn(s.next, Math.min(s.to, s.next + this.o.readAhead))
  }

  /** Routes every request that no decoder will serve (after a decoder ended, was replaced or stopped). */
  private serveWaiting(): void {
    if (this.closed) return
    for (const f of this.waiters.frames()) if (this.waiters.has(f)) this.route(f)
  }

  /** Stops side decoders nobody waits for any more (their requests were served elsewhere, cancelled or timed out). */
  private pruneSide(): void {
    if (this.closed) return
    let stopped = false
    for (const s of this.side) {
      if (this.servesWaiters(s)) continue
      s.kill()
      this.side.delete(s)
      stopped = true
    }
    if (stopped) this.serveWaiting()
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
      if (b) this.stop(b)
      // Nothing cached just below the playhead (a backward run starts): a short first block, so the next
      // step back is served soon; then full blocks keep ahead of the user.
      const from = Math.max(0, m - (m === n - 1 ? 8 : ahead) + 1)
      this.back = this.stream(from, m, Math.min(this.levelFor(m), MAX_SEEK_LEVEL), false)
    }
  }

  /**
   * Moving backward, a live decoder would only decode frames already seen: then it stops after `from`. The
   * decoder it replaces goes on as a side decoder while requests wait for it (the user asked for them too).
   */
  private startLive(from: number, level: number): void {
    const old = this.live
    const to = this.direction === 'backward' ? from : this.index.count - 1
    const live = (this.live = this.stream(from, to, level, true))
    if (!old || old.ended) return
    const reach = this.waiters.frames(old.next, Math.min(old.to, old.next + this.o.readAhead))
    const orphans = reach.some((f) => !this.will(live, f, this.o.readAhead))
    if (orphans && this.side.size < MAX_SIDE_DECODERS) {
      this.side.add(old)
      old.resume()
    } else {
      this.stop(old)
    }
  }

  /** Stops a decoder by decision (not by its end): whatever it was going to serve is routed again. */
  private stop(s: FrameStream): void {
    s.kill()
    if (s === this.live) this.live = null
    if (s === this.back) this.back = null
    this.side.delete(s)
    // Its own requests need another decoder, and a request left waiting for a free one can have this one's place.
    queueMicrotask(() => this.serveWaiting())
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
        this.waiters.resolve(f, data)
        if (this.servesWaiters(s)) return
        // Backpressure: the live decoder waits once it is a window ahead of the playhead, unless a request
        // waits for a frame it is about to reach. A side decoder lives for its requests only.
        if (s === this.live) {
          if (f >= this.playhead + this.o.readAhead) s.pause()
          // Free of requests: one left waiting for a decoder may take it.
          if (this.waiters.anyIn(-Infinity, Infinity)) queueMicrotask(() => this.serveWaiting())
        } else if (this.side.has(s)) {
          this.stop(s)
        }
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
    if (this.waiters.anyIn(a, b)) queueMicrotask(() => this.serveWaiting())
  }

  private ended(s: FrameStream, err: ApiError | null): void {
    if (s === this.live) this.live = null
    if (s === this.back) this.back = null
    this.side.delete(s)
    if (this.closed) return
    if (err) {
      if (err.code === 'not-found') this.missing = err
      for (const f of this.waiters.frames(s.next, s.to)) this.waiters.reject(f, err)
    } else if (s.next <= s.to) {
      // A clean end before `to`: ffmpeg ran out of pictures where the index still has frames.
      this.failed(s.next, s.next, s.level)
    }
    this.serveWaiting()
    if (!err && this.autoRefreshes-- > 0) this.refresh()
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
}

function countCached(cache: FrameCache, id: string, count: number): number {
  let c = 0
  for (let f = 0; f < count; f++) if (cache.has(id, f)) c++
  return c
}
