// Runs in the backend (plain Node): one ffmpeg process decoding a run of frames [from, to] of a video, either as
// JPEG (what the renderer shows) or as scaled rgb24 (what the tracker reads). Every output picture is labelled
// with its frame number from its showinfo pts, checked against the index: a skipped frame is reported as a gap,
// never silently shifted. The owner pauses it (backpressure) and kills it; it never outlives its ChildGroup.
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import { ApiError } from '../../shared/api/errors'
import { type ChildGroup, kill } from './child-processes'
import { type DecodeTarget, seekingArgs, selectFramesFilter } from './decoder-args'
import type { WarmDecoder } from './warm-decoder'
import { JpegSplitter } from './jpeg-splitter'
import { startFrame } from './seek-plan'
import { ShowinfoParser } from './showinfo'
import { checkVideoFile } from './video-errors'

export type { FrameOutput } from './decoder-args'

export interface FrameStreamOpts {
  target: DecodeTarget
  from: number
  /** Last frame wanted, inclusive. */
  to: number
  /**
   * Only these frames of [from, to] (ascending; `to` the last of them): the others are decoded but dropped
   * before they are rotated, scaled or piped (the tracker's background samples). Not with a warm process.
   */
  only?: readonly number[]
  /** Seek level (seek-plan.ts): 0 normally, higher after a failed check. */
  level: number
  group: ChildGroup
  /** A process started ahead of time, used when it has one ready. */
  warm?: WarmDecoder
  onFrame(frame: number, data: Buffer): void
  /** Frames in [first, last] were expected next but ffmpeg did not output them. */
  onGap(first: number, last: number): void
  /** Called once when ffmpeg ends by itself (not after kill()); error is null on a clean end. */
  onEnd(error: ApiError | null): void
}

/** How decoders were started since the process began: tests check that seeks are exact at level 0. */
export const streamCounts = { warm: 0, cold: 0, retry: 0 }

/** No output for this long while not paused means ffmpeg is stuck (a dead network drive, a broken file). */
const STALL_MS = 20_000

export class FrameStream {
  /** The next frame this stream will emit, if it emits any more. */
  next: number
  ended = false
  paused = false
  readonly from: number
  readonly to: number
  readonly level: number
  /** Whether a warm process was used (diagnostics). */
  readonly warm: boolean
  private readonly child: ChildProcessWithoutNullStreams
  private readonly pictures: Buffer[] = []
  private readonly times: number[] = []
  private readonly info = new ShowinfoParser()
  private readonly tolerance: number
  /** The frames asked for in a sparse read (FrameStreamOpts.only), else null: every frame of [from, to]. */
  private readonly only: readonly number[] | null
  /** Added to showinfo's pts: a warm (concat) decoder counts from its start point, not the stream's. */
  private readonly ptsOffset: number
  private watchdog: NodeJS.Timeout | null = null
  private pendingClose: number | null | undefined = undefined

  constructor(private readonly o: FrameStreamOpts) {
    const t = o.target
    this.from = o.from
    this.to = o.to
    this.level = o.level
    this.only = o.only ? o.only.filter((f) => f >= o.from && f <= o.to) : null
    this.next = this.only ? (this.only[0] ?? o.to + 1) : o.from
    if (o.level > 0) streamCounts.retry++
    this.tolerance = t.index.matchTolerance()
    const start = startFrame(t.index, o.from, o.level)
    const taken = this.only ? null : o.warm?.take(start)
    if (taken) {
      this.child = taken.child
      this.ptsOffset = taken.ptsOffset
      this.warm = true
      streamCounts.warm++
    } else {
      streamCounts.cold++
      const args = this.only
        ? seekingArgs(t, start, this.only.length, [selectFramesFilter(t, this.only)])
        : seekingArgs(t, start, o.to - start + 1)
      this.child = o.group.spawn('ffmpeg', t.ffmpeg.ffmpegPath, args)
      this.ptsOffset = 0
      this.warm = false
    }
    const framer =
      t.output.kind === 'jpeg' ? new JpegSplitter() : new RawSplitter(t.output.width * t.output.height * 3)
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.arm()
      for (const p of framer.push(chunk)) this.pictures.push(p)
      this.drain()
    })
    this.child.stderr.setEncoding('utf8')
    this.child.stderr.on('data', (text: string) => {
      this.arm()
      for (const ts of this.info.push(text)) this.times.push(ts)
      this.drain()
    })
    this.child.once('error', (e) =>
      this.finish(new ApiError('no-ffmpeg', `ffmpeg could not be started (${e.message}).`))
    )
    this.child.once('close', (code) => void this.closed(code))
    this.arm()
  }

  pause(): void {
    if (this.ended || this.paused) return
    this.paused = true
    this.child.stdout.pause()
    this.disarm()
  }

  resume(): void {
    if (this.ended || !this.paused) return
    this.paused = false
    this.child.stdout.resume()
    this.arm()
    this.drain()
    if (this.pendingClose !== undefined && !this.pictures.length) void this.closed(this.pendingClose)
  }

  /** Stops the process; onEnd is not called (the owner decided). */
  kill(): void {
    if (this.ended) return
    this.ended = true
    this.disarm()
    kill(this.child)
  }

  /**
   * Pairs pictures with timestamps in output order and hands labelled frames on. Stops while paused: one pipe
   * read can hold many small JPEGs, and the window must hold exactly; they wait here (one read at most).
   */
  private drain(): void {
    while (!this.ended && !this.paused && this.pictures.length && this.times.length) {
      const data = this.pictures.shift()!
      const t = this.times.shift()!
      const f = Number.isNaN(t) ? -1 : this.o.target.index.frameAtPts(t + this.ptsOffset, this.tolerance)
      if (f < 0 || f < this.next) continue // before the start (earlier seek levels) or not in the index
      if (this.only && !this.only.includes(f) && f <= this.to) continue // a neighbour the select let by
      if (f > this.next) this.o.onGap(this.next, Math.min(f, this.to + 1) - 1)
      if (f > this.to) {
        this.next = this.to + 1
        this.kill()
        this.o.onEnd(null)
        return
      }
      this.next = this.only ? (this.only.find((w) => w > f) ?? this.to + 1) : f + 1
      this.o.onFrame(f, data)
      if (f === this.to && !this.ended) {
        this.kill()
        this.o.onEnd(null)
        return
      }
    }
  }

  private async closed(code: number | null): Promise<void> {
    if (this.ended) return
    this.drain()
    if (this.ended) return
    // Paused with pictures still queued: they are delivered on resume, and the end is reported then.
    if (this.paused && this.pictures.length) {
      this.pendingClose = code
      return
    }
    if (code === 0) return this.finish(null)
    try {
      await checkVideoFile(this.o.target.path)
    } catch (e) {
      return this.finish(e as ApiError)
    }
    const why = this.info.tail.slice(-3).join(' / ') || `exit code ${code}`
    this.finish(
      new ApiError('io', `ffmpeg could not decode frame ${this.next} of ${this.o.target.path} (${why}).`)
    )
  }

  private finish(error: ApiError | null): void {
    if (this.ended) return
    this.ended = true
    this.disarm()
    kill(this.child)
    this.o.onEnd(error)
  }

  private arm(): void {
    this.disarm()
    if (this.ended || this.paused) return
    this.watchdog = setTimeout(
      () =>
        this.finish(
          new ApiError(
            'io',
            `ffmpeg produced nothing for ${STALL_MS / 1000} s while decoding ${this.o.target.path}; it was stopped. ` +
              'The file may be on a slow or disconnected drive, or damaged.'
          )
        ),
      STALL_MS
    )
  }

  private disarm(): void {
    if (this.watchdog) clearTimeout(this.watchdog)
    this.watchdog = null
  }
}

/** Cuts a raw video pipe into pictures of a fixed byte size. */
class RawSplitter {
  private parts: Buffer[] = []
  private have = 0
  constructor(private readonly size: number) {}

  push(chunk: Buffer): Buffer[] {
    const out: Buffer[] = []
    this.parts.push(chunk)
    this.have += chunk.length
    while (this.have >= this.size) {
      const all = Buffer.concat(this.parts)
      out.push(all.subarray(0, this.size))
      const rest = all.subarray(this.size)
      this.parts = rest.length ? [rest] : []
      this.have = rest.length
    }
    return out
  }
}
