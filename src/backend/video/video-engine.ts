// Runs in the backend (plain Node): the entry point of the video engine. Opens videos (probe + frame index,
// cached on disk), hands out VideoHandles that share one decoded-frame cache bounded in bytes, and kills every
// ffmpeg/ffprobe child on closeAll. A file opened again while open (unchanged) gets a lease on the handle it
// has already, so the ffmpeg processes per file stay bounded however often it is opened.
import { createHash } from 'node:crypto'
import path from 'node:path'
import type { FfmpegInfo } from '../ffmpeg/locate'
import { ChildGroup } from './child-processes'
import { DEFAULT_CACHE_BYTES, FrameCache } from './frame-cache'
import type { IndexLocation } from './index-cache'
import { HandleLease } from './handle-lease'
import { loadVideo } from './load-video'
import { checkVideoFile } from './video-errors'
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
  /** How long a frame request may wait for its decoder before it fails with a message; default 45 s. */
  frameWaitMs?: number
}

/** An open file: its handle, how many leases hold it, and the file's identity when it was opened. */
interface OpenFile {
  handle: Handle
  leases: number
  size: number
  mtimeMs: number
}

export class VideoEngine {
  private readonly cache: FrameCache
  private readonly handles = new Map<string, Handle>()
  /** By absolute path: what a new opener of that file shares. */
  private readonly files = new Map<string, OpenFile>()
  private readonly opening = new Map<string, Promise<OpenFile>>()
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
    // Two tries: an opener that shared a load may find its handle closed by then (every other lease let go).
    for (let attempt = 0; ; attempt++) {
      const file = await this.openFile(abs, indexAt)
      if (file.handle.isOpen || attempt > 0) return this.lease(abs, file)
    }
  }

  private async openFile(abs: string, indexAt: IndexLocation | undefined): Promise<OpenFile> {
    const { size, mtimeMs } = await checkVideoFile(abs)
    const known = this.files.get(abs)
    if (known && known.handle.isOpen && known.size === size && known.mtimeMs === mtimeMs) return known
    // A file changed since it was opened is another video: its holders keep the old handle until they close it.
    if (known) this.files.delete(abs)
    let pending = this.opening.get(abs)
    if (!pending) {
      pending = this.load(abs, indexAt, size, mtimeMs).finally(() => this.opening.delete(abs))
      this.opening.set(abs, pending)
    }
    return pending
  }

  private lease(abs: string, file: OpenFile): VideoHandle {
    file.leases++
    return new HandleLease(file.handle, () => {
      if (--file.leases > 0) return
      if (this.files.get(abs) === file) this.files.delete(abs)
      file.handle.close()
    })
  }

  private async load(abs: string, indexAt: IndexLocation | undefined, size: number, mtimeMs: number) {
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
      frameWaitMs: this.opts.frameWaitMs,
      onClose: (h) => this.handles.delete(h)
    })
    this.handles.set(id, handle)
    const file: OpenFile = { handle, leases: 0, size, mtimeMs }
    this.files.set(abs, file)
    return file
  }

  /** The open handle with this id (shared by every lease on it). */
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
    this.files.clear()
  }
}
