// Runs in the renderer: fetches frames (JPEG from the backend) and decodes them to ImageBitmaps off the main
// thread, keeping a small LRU of decoded frames and reading a few ahead in the direction of travel, so that
// holding an arrow key draws each frame the moment it is asked for. Every request has a deadline: a frame that
// does not arrive fails with a message (and can be asked for again) instead of leaving the view blank. While a
// frame far from anything decoded is on its way, `preview` gets what the backend can show at once (the nearest
// keyframe, small), which the view marks approximate.
import { SHOWN_FRAME_HEADER } from '@shared/api/frame-url'

/** Generous: a seek far from a keyframe in a long 4K video can take a few seconds on a slow disk. */
export const FRAME_TIMEOUT_MS = 10_000

/** What the loader keeps of a decoded frame: in the page, an ImageBitmap. */
export interface DecodedFrame {
  readonly width: number
  readonly height: number
  close(): void
}

export interface FrameLoaderOptions<B extends DecodedFrame> {
  /** Turns the JPEG into a bitmap: the page passes createImageBitmap. */
  decode: (blob: Blob) => Promise<B>
  /** Decoded frames kept. */
  capacity?: number
  /** How long one frame may take, fetch and body together, before it fails. */
  timeoutMs?: number
}

/** A picture shown while a frame decodes, and the frame it really is. */
export interface PreviewPicture<B> {
  bitmap: B
  shown: number
}

/**
 * A preview's JPEG and the frame it shows, or null where there is none to show (nothing near yet: 204, or a
 * refusal). Rejects when the request fails or `signal` aborts it.
 */
export async function fetchPreview(
  url: string,
  signal: AbortSignal
): Promise<{ blob: Blob; shown: number } | null> {
  const res = await fetch(url, { signal })
  const shown = Number(res.headers.get(SHOWN_FRAME_HEADER))
  if (res.status !== 200 || !Number.isInteger(shown) || shown < 0) return null
  return { blob: await res.blob(), shown }
}

export class FrameLoader<B extends DecodedFrame> {
  private readonly cache = new Map<number, B>()
  private readonly inflight = new Map<number, Promise<B>>()
  private generation = 0
  private readonly capacity: number
  private readonly timeoutMs: number
  private readonly decode: (blob: Blob) => Promise<B>
  private previewUrlOf: ((frame: number) => string) | null = null

  constructor(
    private urlOf: (frame: number) => string,
    options: FrameLoaderOptions<B>
  ) {
    this.capacity = options.capacity ?? 48
    this.timeoutMs = options.timeoutMs ?? FRAME_TIMEOUT_MS
    this.decode = options.decode
  }

  /**
   * Points the loader at another video; everything cached for the old one is released. `previewUrlOf`: where a
   * frame's preview is asked for (none: no previews).
   */
  reset(urlOf: (frame: number) => string, previewUrlOf: ((frame: number) => string) | null = null): void {
    this.generation++
    this.urlOf = urlOf
    this.previewUrlOf = previewUrlOf
    for (const b of this.cache.values()) b.close()
    this.cache.clear()
    this.inflight.clear()
  }

  peek(frame: number): B | undefined {
    const b = this.cache.get(frame)
    if (b) {
      this.cache.delete(frame)
      this.cache.set(frame, b)
    }
    return b
  }

  load(frame: number): Promise<B> {
    const cached = this.peek(frame)
    if (cached) return Promise.resolve(cached)
    const running = this.inflight.get(frame)
    if (running) return running
    const gen = this.generation
    const p = this.fetchFrame(frame)
      .then((bitmap) => {
        if (gen === this.generation) this.store(frame, bitmap)
        return bitmap
      })
      .finally(() => {
        if (gen === this.generation) this.inflight.delete(frame)
      })
    this.inflight.set(frame, p)
    return p
  }

  /**
   * What can be shown at once while `frame` decodes, or null: nothing near yet, or it failed (a preview is an
   * extra, never an error). Not cached: a nearer picture may exist a moment later. The caller closes the bitmap.
   */
  async preview(frame: number): Promise<PreviewPicture<B> | null> {
    const url = this.previewUrlOf?.(frame)
    if (!url) return null
    const gen = this.generation
    try {
      const got = await fetchPreview(url, AbortSignal.timeout(this.timeoutMs))
      if (!got) return null
      const bitmap = await this.decode(got.blob)
      if (gen === this.generation) return { bitmap, shown: got.shown }
      bitmap.close()
      return null
    } catch {
      return null
    }
  }

  /** Warms the cache around the playhead; errors are ignored here and surface when the frame is shown. */
  readAhead(from: number, direction: 1 | -1, count: number, frameCount: number): void {
    for (let i = 1; i <= count; i++) {
      const n = from + i * direction
      if (n < 0 || n >= frameCount) break
      if (!this.cache.has(n) && !this.inflight.has(n) && this.inflight.size < 4)
        this.load(n).catch(() => undefined)
    }
  }

  /** One frame, fetched and decoded within the deadline; the fetch is aborted when it passes. */
  private async fetchFrame(frame: number): Promise<B> {
    const abort = new AbortController()
    const timer = setTimeout(() => abort.abort(), this.timeoutMs)
    let reached = false
    try {
      const res = await fetch(this.urlOf(frame), { signal: abort.signal })
      reached = true
      if (!res.ok)
        throw new Error((await res.text()) || `Frame ${frame} could not be read (HTTP ${res.status}).`)
      const blob = await res.blob()
      return await this.decode(blob)
    } catch (err) {
      if (abort.signal.aborted)
        throw new Error(
          `Frame ${frame} did not arrive within ${Number((this.timeoutMs / 1000).toFixed(1))} s (the studio's backend may be busy or stuck).`
        )
      if (!reached)
        throw new Error(`Frame ${frame} could not be fetched: the studio's backend does not answer.`)
      throw err
    } finally {
      clearTimeout(timer)
    }
  }

  private store(frame: number, bitmap: B): void {
    this.cache.set(frame, bitmap)
    while (this.cache.size > this.capacity) {
      const oldest = this.cache.keys().next().value as number
      this.cache.get(oldest)?.close()
      this.cache.delete(oldest)
    }
  }
}
