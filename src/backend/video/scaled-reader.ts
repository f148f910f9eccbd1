// Runs in the backend (plain Node): reads frames scaled to the model's input size as rgb24, for the tracking
// engine. Frame numbers follow the same index as the viewer (frame N = N-th packet in pts order), and the
// scaling happens inside ffmpeg. The consumer's pace drives decoding: ffmpeg is paused when a few frames wait.
import { ApiError } from '../../shared/api/errors'
import type { FfmpegInfo } from '../ffmpeg/locate'
import { ChildGroup } from './child-processes'
import { FrameStream } from './frame-stream'
import { loadVideo } from './load-video'
import { MAX_SEEK_LEVEL } from './seek-plan'

export interface ScaledFrame {
  frame: number
  /** width × height × 3 bytes, rgb24, row-major. */
  rgb: Buffer
}

export interface ScaledReadOptions {
  width: number
  height: number
  /** First frame, default 0. */
  from?: number
  /** How many frames, default to the end. */
  count?: number
  /**
   * Only these frames (ascending, whole, in range), instead of from/count: the others are decoded but never
   * scaled or piped, so a few samples of a clip cost its decoding alone.
   */
  only?: readonly number[]
  /** Reuse (and fill) the engine's frame-index cache folder. */
  indexCacheDir?: string
  decoderThreads?: number
  signal?: AbortSignal
}

const QUEUE_FRAMES = 4

function checkOnly(only: readonly number[], count: number): void {
  if (!only.length) throw new ApiError('bad-request', 'At least one frame must be asked for.')
  for (let i = 0; i < only.length; i++) {
    const f = only[i] as number
    if (!Number.isInteger(f) || f < 0 || f >= count || (i > 0 && f <= (only[i - 1] as number))) {
      throw new ApiError(
        'bad-request',
        `Frames must be whole, ascending and within 0 to ${count - 1}; ${f} is not.`
      )
    }
  }
}

export async function* readFramesScaled(
  ffmpeg: FfmpegInfo,
  filePath: string,
  opts: ScaledReadOptions
): AsyncGenerator<ScaledFrame> {
  const { width, height } = opts
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new ApiError('bad-request', `A scaled size must be whole positive pixels, not ${width}×${height}.`)
  }
  const group = new ChildGroup()
  try {
    const { probe, index } = await loadVideo(ffmpeg, filePath, opts.indexCacheDir ?? null, group)
    const only = opts.only ?? null
    if (only) checkOnly(only, index.count)
    const from = only ? (only[0] as number) : (opts.from ?? 0)
    const to = only
      ? (only[only.length - 1] as number)
      : Math.min(index.count - 1, from + (opts.count ?? index.count) - 1)
    if (!Number.isInteger(from) || from < 0 || from >= index.count) {
      throw new ApiError(
        'bad-request',
        `Frame ${from} does not exist: the video has frames 0 to ${index.count - 1}.`
      )
    }
    const queue: ScaledFrame[] = []
    let failure: Error | null = null
    let wake: (() => void) | null = null
    const poke = (): void => {
      wake?.()
      wake = null
    }
    let next = from
    let stream: FrameStream | null = null
    const start = (at: number, level: number): void => {
      stream?.kill()
      if (level > MAX_SEEK_LEVEL) {
        failure = new ApiError(
          'io',
          `Frame ${at} of ${filePath} could not be decoded; the file may be damaged there.`
        )
        return poke()
      }
      const s: FrameStream = new FrameStream({
        target: {
          ffmpeg,
          path: probe.info.path,
          index,
          streamIndex: probe.streamIndex,
          formatStartTime: probe.formatStartTime,
          rotation: probe.info.rotation,
          output: { kind: 'rgb', width, height },
          threads: opts.decoderThreads
        },
        from: at,
        to,
        only: only ?? undefined,
        level,
        group,
        onFrame: (frame, rgb) => {
          // A stream given up after a gap may still hand on the frame past the gap: its restart delivers it
          // again, in order.
          if (stream !== s) return
          next = frame + 1
          queue.push({ frame, rgb })
          if (queue.length >= QUEUE_FRAMES) s.pause()
          poke()
        },
        // Never skip a frame: restart from the missing one, seeking from further back.
        onGap: (a) => {
          if (stream !== s) return
          stream = null
          s.kill()
          queueMicrotask(() => start(a, level + 1))
        },
        onEnd: (err) => {
          if (stream !== s) return
          if (err) failure = err
          else if (next <= to) return start(next, level + 1)
          poke()
        }
      })
      stream = s
    }
    const onAbort = (): void => {
      failure = new ApiError('cancelled', 'Reading frames was cancelled.')
      poke()
    }
    opts.signal?.addEventListener('abort', onAbort, { once: true })
    start(from, 0)
    try {
      while (next <= to || queue.length) {
        if (failure) throw failure
        const item = queue.shift()
        if (item) {
          if (queue.length < QUEUE_FRAMES) (stream as FrameStream | null)?.resume()
          yield item
          continue
        }
        await new Promise<void>((r) => (wake = r))
      }
      if (failure) throw failure
    } finally {
      opts.signal?.removeEventListener('abort', onAbort)
    }
  } finally {
    group.killAll()
  }
}
