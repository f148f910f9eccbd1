// Runs in the backend (plain Node): the frame-exact index. Frame N is the N-th video packet in presentation
// (pts) order, found by demuxing only (no decoding), so frame N is the same picture however it is reached:
// VFR, a non-zero start time, B-frames, rotation. Stored as two typed arrays, nothing else per frame, so an
// hour at 60 fps costs about 2 MB.
import { ApiError } from '../../shared/api/errors'
import { ChildGroup, kill } from './child-processes'
import { checkVideoFile, noVideoStream, probeFailed, timedOut } from './video-errors'

export class FrameIndex {
  /** Keyframes, ascending, for "which keyframe precedes frame N" in O(log n). */
  private readonly keyFrames: Uint32Array
  private tolerance: number | undefined

  constructor(
    /** Presentation timestamps, seconds, ascending. */
    readonly pts: Float64Array,
    /** 1 where the frame is a keyframe (the decoder can start there). */
    readonly key: Uint8Array
  ) {
    const keys: number[] = []
    for (let i = 0; i < key.length; i++) if (key[i]) keys.push(i)
    this.keyFrames = Uint32Array.from(keys)
  }

  get count(): number {
    return this.pts.length
  }

  get keyframeCount(): number {
    return this.keyFrames.length
  }

  /** Seconds since frame 0. */
  time(n: number): number {
    return this.pts[n]! - this.pts[0]!
  }

  /** The i-th keyframe (0 for the first). */
  keyframe(i: number): number {
    return this.keyFrames[i]!
  }

  /** Which keyframe frame f is (0 for the first), -1 when it is none. */
  keyframeOrdinal(f: number): number {
    let lo = 0
    let hi = this.keyFrames.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const k = this.keyFrames[mid]!
      if (k === f) return mid
      if (k < f) lo = mid + 1
      else hi = mid - 1
    }
    return -1
  }

  /** The last keyframe at or before frame n (0 when the stream does not start with one). */
  keyframeAtOrBefore(n: number): number {
    let lo = 0
    let hi = this.keyFrames.length - 1
    let best = 0
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const k = this.keyFrames[mid]!
      if (k <= n) {
        best = k
        lo = mid + 1
      } else hi = mid - 1
    }
    return best
  }

  /** The frame whose pts is nearest to t (seconds), or -1 when none is within tolerance seconds. */
  frameAtPts(t: number, tolerance: number): number {
    const p = this.pts
    let lo = 0
    let hi = p.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (p[mid]! < t) lo = mid + 1
      else hi = mid
    }
    let best = lo
    if (lo > 0 && Math.abs(p[lo - 1]! - t) < Math.abs(p[lo]! - t)) best = lo - 1
    return Math.abs(p[best]! - t) <= tolerance ? best : -1
  }

  /** Half the smallest gap between frames: timestamps closer than this to a frame's pts are that frame. */
  matchTolerance(): number {
    if (this.tolerance === undefined) {
      let min = Infinity
      for (let i = 1; i < this.pts.length; i++) min = Math.min(min, this.pts[i]! - this.pts[i - 1]!)
      this.tolerance = Number.isFinite(min) && min > 0 ? min / 2 : 0.0005
    }
    return this.tolerance
  }
}

const STALL_TIMEOUT_MS = 30_000

/**
 * Demuxes the stream with ffprobe and builds the index. ffprobe's stdout is parsed as it streams (one short
 * CSV line per packet), so memory holds only the growing typed arrays, never the text.
 */
export function buildFrameIndex(
  ffprobe: string,
  filePath: string,
  streamIndex: number,
  timeBase: { num: number; den: number },
  group = new ChildGroup()
): Promise<FrameIndex> {
  // csv with only pts,dts,flags measured fastest (see scripts/bench-video.ts); fields come in ffprobe's own
  // order: pts, dts, flags.
  const args = ['-v', 'error', '-select_streams', String(streamIndex)]
  args.push('-show_entries', 'packet=pts,dts,flags', '-of', 'csv=p=0', filePath)
  const tb = timeBase.num / timeBase.den
  let ptsTicks = new Float64Array(4096)
  let flags = new Uint8Array(4096)
  let n = 0
  let sorted = true

  return new Promise((resolve, reject) => {
    const child = group.spawn('ffprobe', ffprobe, args)
    let rest = ''
    let stderr = ''
    let stalled = false
    let timer = setTimeout(onStall, STALL_TIMEOUT_MS)
    function onStall(): void {
      stalled = true
      kill(child)
    }
    function push(line: string): void {
      const c1 = line.indexOf(',')
      const c2 = line.indexOf(',', c1 + 1)
      if (c1 < 0 || c2 < 0) return
      const f = line.slice(c2 + 1)
      if (f[1] === 'D') return // discarded by the demuxer (before an edit list's start): never shown
      let t = Number(line.slice(0, c1))
      if (!Number.isFinite(t) || line.startsWith('N/A')) t = Number(line.slice(c1 + 1, c2))
      if (!Number.isFinite(t)) return // neither pts nor dts: the packet cannot be placed in time
      if (n === ptsTicks.length) {
        const p2 = new Float64Array(n * 2)
        p2.set(ptsTicks)
        ptsTicks = p2
        const f2 = new Uint8Array(n * 2)
        f2.set(flags)
        flags = f2
      }
      if (n > 0 && t < ptsTicks[n - 1]!) sorted = false
      ptsTicks[n] = t
      flags[n] = f[0] === 'K' ? 1 : 0
      n++
    }
    child.stdout.setEncoding('latin1')
    child.stdout.on('data', (chunk: string) => {
      clearTimeout(timer)
      timer = setTimeout(onStall, STALL_TIMEOUT_MS)
      const text = rest + chunk
      let start = 0
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        push(text.slice(start, nl).trimEnd())
        start = nl + 1
      }
      rest = text.slice(start)
    })
    child.stderr.on('data', (b: Buffer) => {
      if (stderr.length < 10_000) stderr += b.toString('utf8')
    })
    child.once('error', (e) => {
      clearTimeout(timer)
      reject(
        new ApiError('no-ffmpeg', `ffprobe could not be started (${e.message}). Check the ffmpeg setting.`)
      )
    })
    child.once('close', (code) => {
      clearTimeout(timer)
      if (rest.trim()) push(rest.trim())
      if (stalled) return reject(timedOut(filePath, 'Indexing the frames', STALL_TIMEOUT_MS / 1000))
      if (n === 0) {
        void checkVideoFile(filePath).then(
          () =>
            reject(
              code === 0
                ? noVideoStream(filePath, 'the video stream holds no frames')
                : probeFailed(filePath, stderr)
            ),
          reject
        )
        return
      }
      // A damaged tail still yields the frames before it; decoding reports the broken ones when reached.
      resolve(finish(ptsTicks.subarray(0, n), flags.subarray(0, n), tb, sorted))
    })
  })
}

/** Orders packets by pts (decode order differs with B-frames) and converts ticks to seconds. */
function finish(ticks: Float64Array, flags: Uint8Array, tb: number, sorted: boolean): FrameIndex {
  const n = ticks.length
  const pts = new Float64Array(n)
  const key = new Uint8Array(n)
  if (sorted) {
    for (let i = 0; i < n; i++) pts[i] = ticks[i]! * tb
    key.set(flags)
    return new FrameIndex(pts, key)
  }
  const order = new Uint32Array(n)
  for (let i = 0; i < n; i++) order[i] = i
  order.sort((a, b) => ticks[a]! - ticks[b]! || a - b)
  for (let i = 0; i < n; i++) {
    pts[i] = ticks[order[i]!]! * tb
    key[i] = flags[order[i]!]!
  }
  return new FrameIndex(pts, key)
}
