// Runs in the backend (plain Node): the video methods of the contract, over the video engine.
// Keeps the open videos by id, so every host (window, tab, CLI) addresses a video the same way. A file opened
// again while open gets the same id (the engine shares its decoders); each open is matched by one close, and
// the video really closes with the last.
import { stat } from 'node:fs/promises'
import { ApiError } from '../../shared/api/errors'
import type { Params, Result } from '../../shared/api/contract'
import type { FfmpegInfo } from '../ffmpeg/locate'
import type { EventBus } from '../rpc/event-bus'
import { VideoEngine } from './video-engine'
import type { VideoHandle } from './video-handle'
import type { Preview } from './keyframe-previews'
import type { IndexLocation } from './index-cache'
import { scanRepeatedFrames } from './repeated-frames'

export class VideoService {
  private engine: VideoEngine | null
  /** The leases of each open video, one per open not yet closed. */
  private readonly open = new Map<string, VideoHandle[]>()
  private readonly missing = new Set<string>()
  private watchTimer: NodeJS.Timeout | null = null
  /** The repeated frames of each open video, found once (a whole decode) and kept while it is open. */
  private readonly repeats = new Map<string, Promise<number[]>>()

  constructor(
    private readonly ffmpeg: FfmpegInfo | null,
    private readonly ffmpegProblem: string | null,
    private readonly indexCacheDir: string,
    private readonly bus: EventBus
  ) {
    this.engine = ffmpeg ? new VideoEngine({ ffmpeg, indexCacheDir }) : null
  }

  /** `indexAt`: a project's own index folder for its videos; the app's cache folder when not given. */
  async openVideo({ path }: Params<'video.open'>, indexAt?: IndexLocation): Promise<Result<'video.open'>> {
    if (!this.engine) throw new ApiError('no-ffmpeg', this.ffmpegProblem ?? 'ffmpeg is not available.')
    const handle = await this.engine.open(path, indexAt)
    const leases = this.open.get(handle.id)
    if (leases) leases.push(handle)
    else this.open.set(handle.id, [handle])
    this.missing.delete(handle.id)
    this.bus.emit('video.state', { videoId: handle.id, state: 'open' })
    this.watch()
    return { videoId: handle.id, info: handle.info }
  }

  async closeVideo({ videoId }: Params<'video.close'>): Promise<Result<'video.close'>> {
    const leases = this.open.get(videoId)
    if (!leases) return { closed: false }
    leases.pop()!.close()
    if (leases.length) return { closed: true }
    this.open.delete(videoId)
    this.missing.delete(videoId)
    this.repeats.delete(videoId)
    this.bus.emit('video.state', { videoId, state: 'closed' })
    return { closed: true }
  }

  async frameTimes({
    videoId,
    from,
    count
  }: Params<'video.frameTimes'>): Promise<Result<'video.frameTimes'>> {
    const handle = this.get(videoId)
    const end = Math.min(handle.info.frameCount, from + count)
    const out: Result<'video.frameTimes'> = []
    for (let n = from; n < end; n++) out.push(handle.frameTime(n))
    return out
  }

  async prefetch({ videoId, frame, direction }: Params<'video.prefetch'>): Promise<Result<'video.prefetch'>> {
    const handle = this.get(videoId)
    if (frame >= handle.info.frameCount) return { queued: false }
    handle.prefetch(frame, direction)
    return { queued: true }
  }

  async repeatedFrames({ videoId }: Params<'video.repeatedFrames'>): Promise<Result<'video.repeatedFrames'>> {
    const handle = this.get(videoId)
    if (!this.ffmpeg) throw new ApiError('no-ffmpeg', this.ffmpegProblem ?? 'ffmpeg is not available.')
    let scan = this.repeats.get(videoId)
    if (!scan) {
      scan = scanRepeatedFrames(this.ffmpeg, handle.info.path, { indexCacheDir: this.indexCacheDir }).then(
        (s) => s.repeated
      )
      this.repeats.set(videoId, scan)
      // A failed scan is not kept: the next ask tries again.
      scan.catch(() => this.repeats.delete(videoId))
    }
    return { repeated: await scan }
  }

  /** JPEG bytes of one frame, for the frame route of each host (HTTP or the custom protocol). */
  async frame(videoId: string, n: number, signal?: AbortSignal): Promise<Buffer> {
    return this.get(videoId).getFrame(n, signal)
  }

  /** What the frame routes show at once while frame n decodes (see VideoHandle.preview). */
  framePreview(videoId: string, n: number): Preview | null {
    return this.get(videoId).preview(n)
  }

  /**
   * A decoder that is already running keeps reading a deleted file (it holds it open), so frames near the
   * playhead would go on appearing; a cheap poll of every open file tells the user at once instead.
   */
  private watch(): void {
    if (this.watchTimer) return
    this.watchTimer = setInterval(() => void this.checkFiles(), 1500)
    this.watchTimer.unref()
  }

  private async checkFiles(): Promise<void> {
    for (const [id, [handle]] of this.open) {
      if (!handle) continue
      const gone = await stat(handle.info.path).then(
        () => false,
        () => true
      )
      if (gone && !this.missing.has(id)) {
        this.missing.add(id)
        this.bus.emit('video.state', {
          videoId: id,
          state: 'missing',
          message: `${handle.info.path} was moved or deleted while open. Put it back, or open it from where it is now.`
        })
      } else if (!gone && this.missing.delete(id)) {
        this.bus.emit('video.state', { videoId: id, state: 'open' })
      }
    }
  }

  dispose(): void {
    if (this.watchTimer) clearInterval(this.watchTimer)
    this.watchTimer = null
    for (const leases of this.open.values()) for (const h of leases) h.close()
    this.open.clear()
    this.engine?.closeAll()
    this.engine = null
  }

  private get(videoId: string): VideoHandle {
    const handle = this.open.get(videoId)?.[0]
    if (!handle) {
      throw new ApiError(
        'not-found',
        `Video ${videoId} is not open (it was closed, or the backend restarted): open it again.`
      )
    }
    return handle
  }
}
