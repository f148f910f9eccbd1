// Runs in the backend (plain Node): the entry point of the video engine. Opens videos (probe + frame index,
// cached on disk), hands out VideoHandles that share one decoded-frame cache bounded in bytes, and kills every
// ffmpeg/ffprobe child on closeAll.
import { createHash } from 'node:crypto'
import path from 'node:path'
import type { FfmpegInfo } from '../ffmpeg/locate'
import { ChildGroup } from './child-processes'
import { DEFAULT_CACHE_BYTES, FrameCache } from './frame-cache'
import type { IndexLocation } from './index-cache'
import { loadVideo } from './load-video'
import { Handle, type VideoHandle } from './video-handle'

export interface VideoEngineOptions {
  ffmpeg: FfmpegInfo
  /** Folder for frame index files of videos opened without a folder of their own (the app's cache folder). */
  indexCacheDir: string
  /** Decoded-frame cache size, bytes; default 256 MB. */
  cacheBytes?: number
  /** Frames the live decoder may run ahead of the playhead (and the backward block size); default 30. */
  readAhead?: number
  /** MJPEG quality (ffmpeg -q:v, 2 best .. 31 worst); default 3. */
  jpegQuality?: number
  /** Decoder threads per ffmpeg; default: ffmpeg's choice. */
  decoderThreads?: number
  /** Keep one ffmpeg started and waiting per open video, so a seek skips process start; default true. */
  warmDecoder?: boolean
}

export class VideoEngine {
  private readonly cache: FrameCache
  private readonly handles = new Map<string, Handle>()
  private readonly probes = new ChildGroup()
  private seq = 0

  constructor(private readonly opts: VideoEngineOptions) {
    this.cache = new FrameCache(opts.cacheBytes ?? DEFAULT_CACHE_BYTES)
  }

  /**
   * Throws ApiError 'not-found' | 'not-a-video' | 'io'. `indexAt`: where this video's frame index lives when
   * not in the engine's own folder (a project's .studio/index for the project's videos).
   */
  async open(filePath: string, indexAt?: IndexLocation): Promise<VideoHandle> {
    const abs = path.resolve(filePath)
    const where = indexAt ?? this.opts.indexCacheDir
    const { probe, index } = await loadVideo(this.opts.ffmpeg, abs, where, this.probes)
    const id = `v${++this.seq}-${createHash('sha1').update(abs).digest('hex').slice(0, 8)}`
    const handle = new Handle({
      id,
      ffmpeg: this.opts.ffmpeg,
      probe,
      index,
      cache: this.cache,
      readAhead: this.opts.readAhead ?? 30,
      jpegQuality: this.opts.jpegQuality ?? 3,
      decoderThreads: this.opts.decoderThreads,
      warmDecoder: this.opts.warmDecoder ?? true,
      onClose: (h) => this.handles.delete(h)
    })
    this.handles.set(id, handle)
    return handle
  }

  get(id: string): VideoHandle | undefined {
    return this.handles.get(id)
  }

  /** Bytes held by the decoded-frame cache. */
  get cachedBytes(): number {
    return this.cache.bytes
  }

  closeAll(): void {
    this.probes.killAll()
    for (const h of [...this.handles.values()]) h.close()
  }
}
