// Runs in the backend (plain Node): small pictures of a video's keyframes, decoded once in the background when
// the video is first viewed, so a seek far from anything decoded shows a picture at once — the nearest
// keyframe, which the viewer marks approximate — while the exact frame decodes. An exact seek into a 2 s GOP at
// 1080p decodes up to 60 frames (about 230 ms on 2 cores); a preview is already in memory. Only keyframes are
// decoded (-skip_frame nokey), on one thread at low priority, so the pass costs a few seconds of one core per
// hour of video and never the user's seek. Previews are an extra: a pass that fails leaves the video as before.
import os from 'node:os'
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import { kill, type ChildGroup } from './child-processes'
import type { DecodeTarget } from './decoder-args'
import { JpegSplitter } from './jpeg-splitter'
import { passthroughArgs, rotationFilter } from './seek-plan'
import { ShowinfoParser } from './showinfo'

/** A picture shown for a frame asked for: `frame` is the frame it really is. */
export interface Preview {
  frame: number
  bytes: Buffer
}

/** The longer side of a preview, pixels: plenty for a glance while scrubbing, about 25 kB as JPEG. */
export const PREVIEW_LONG_SIDE = 640
/** Previews kept per video at most (an hour with a keyframe every 2 s is 1,800): about 60 MB. */
export const MAX_PREVIEWS = 2400
/**
 * Below this many frames per keyframe on average, seeking is cheap already (all-intra or nearly), and decoding
 * every keyframe would be decoding the whole video: no previews.
 */
export const MIN_MEAN_GOP = 4

export type PreviewState = 'idle' | 'building' | 'ready' | 'failed' | 'not-needed'

export class KeyframePreviews {
  /** Frames that have a preview, ascending. */
  private readonly frames: number[] = []
  private readonly pictures = new Map<number, Buffer>()
  /** Every how many keyframes one is kept. */
  private readonly stride: number
  /** How far a preview may be from the frame asked for: the widest gap between kept keyframes. */
  readonly reach: number
  private child: ChildProcessWithoutNullStreams | null = null
  state: PreviewState = 'idle'

  constructor(
    private readonly t: DecodeTarget,
    private readonly group: ChildGroup
  ) {
    const { index } = t
    this.stride = Math.max(1, Math.ceil(index.keyframeCount / MAX_PREVIEWS))
    let reach = 0
    for (let i = 0; i < index.keyframeCount; i += this.stride) {
      const next = i + this.stride < index.keyframeCount ? index.keyframe(i + this.stride) : index.count
      reach = Math.max(reach, next - index.keyframe(i))
    }
    this.reach = reach
  }

  get count(): number {
    return this.frames.length
  }

  get bytes(): number {
    let total = 0
    for (const b of this.pictures.values()) total += b.length
    return total
  }

  /** Starts the pass (once); previews become available as it goes. */
  start(): void {
    if (this.state !== 'idle') return
    const { count, keyframeCount } = this.t.index
    if (keyframeCount === 0 || count / keyframeCount < MIN_MEAN_GOP) {
      this.state = 'not-needed'
      return
    }
    this.state = 'building'
    const child = this.group.spawn('ffmpeg', this.t.ffmpeg.ffmpegPath, this.args())
    this.child = child
    try {
      // Below the user's own decoders: a seek asked for now must not wait for previews of later ones.
      if (child.pid) os.setPriority(child.pid, 10)
    } catch {
      // Not allowed here (some sandboxes): the pass runs on one thread anyway.
    }
    const splitter = new JpegSplitter()
    const info = new ShowinfoParser()
    const times: number[] = []
    const jpegs: Buffer[] = []
    const pair = (): void => {
      while (times.length && jpegs.length) this.keep(times.shift()!, jpegs.shift()!)
    }
    child.stdout.on('data', (b: Buffer) => {
      jpegs.push(...splitter.push(b))
      pair()
    })
    child.stderr.on('data', (b: Buffer) => {
      times.push(...info.push(b.toString('utf8')))
      pair()
    })
    child.once('error', () => (this.state = 'failed'))
    child.once('close', (code) => {
      this.child = null
      if (this.state === 'building') this.state = code === 0 ? 'ready' : 'failed'
    })
  }

  /** The preview nearest frame n within reach, or null. */
  nearest(n: number): Preview | null {
    const fs = this.frames
    let lo = 0
    let hi = fs.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (fs[mid]! < n) lo = mid + 1
      else hi = mid
    }
    let best = -1
    for (const i of [lo - 1, lo]) {
      const f = fs[i]
      if (f !== undefined && (best < 0 || Math.abs(f - n) < Math.abs(best - n))) best = f
    }
    if (best < 0 || Math.abs(best - n) > this.reach) return null
    return { frame: best, bytes: this.pictures.get(best)! }
  }

  close(): void {
    if (this.child) kill(this.child)
    this.child = null
    if (this.state === 'building' || this.state === 'idle') this.state = 'failed'
    this.frames.length = 0
    this.pictures.clear()
  }

  /** Files a decoded keyframe under its frame number (from its pts), if it is one of those kept. */
  private keep(pts: number, jpeg: Buffer): void {
    const index = this.t.index
    const f = Number.isNaN(pts) ? -1 : index.frameAtPts(pts, index.matchTolerance())
    if (f < 0 || this.pictures.has(f)) return
    const ordinal = index.keyframeOrdinal(f)
    if (ordinal < 0 || ordinal % this.stride !== 0) return
    this.pictures.set(f, jpeg)
    const last = this.frames[this.frames.length - 1]
    if (last === undefined || f > last) this.frames.push(f)
    else {
      this.frames.push(f)
      this.frames.sort((a, b) => a - b)
    }
  }

  private args(): string[] {
    const t = this.t
    const side = PREVIEW_LONG_SIDE
    const scale = `scale='if(gte(iw,ih),min(${side},iw),-2)':'if(gte(iw,ih),-2,min(${side},ih))'`
    const filters = [...rotationFilter(t.rotation), scale, 'showinfo=checksum=0']
    const encode = ['-threads', '1', '-c:v', 'mjpeg', '-q:v', '5', '-huffman', 'default']
    return [
      ...['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info', '-threads', '1'],
      ...['-skip_frame', 'nokey', '-noautorotate', '-copyts', '-i', t.path],
      ...['-map', `0:${t.streamIndex}`, '-vf', filters.join(','), ...passthroughArgs(t.ffmpeg)],
      ...['-enc_time_base', '1/1000000', ...encode, '-f', 'image2pipe', 'pipe:1']
    ]
  }
}

/** Decoded frames looked for either side of a frame asked for when no keyframe preview is near yet. */
const NEAR_SCAN = 120

/**
 * What to show at once for frame n: n itself when it is decoded already, else the nearest decoded frame that
 * is nearer than the nearest keyframe preview (a frame looked at a moment ago is the better picture), else
 * that preview; null when none is near.
 */
export function pictureNear(
  n: number,
  previews: KeyframePreviews,
  cached: (f: number) => Buffer | undefined
): Preview | null {
  const exact = cached(n)
  if (exact) return { frame: n, bytes: exact }
  const key = previews.nearest(n)
  const scan = key ? Math.abs(key.frame - n) : Math.min(previews.reach, NEAR_SCAN)
  for (let d = 1; d < scan; d++)
    for (const f of [n - d, n + d]) {
      const bytes = cached(f)
      if (bytes) return { frame: f, bytes }
    }
  return key
}
