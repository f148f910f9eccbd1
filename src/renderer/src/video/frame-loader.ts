// Runs in the renderer: fetches frames (JPEG from the backend) and decodes them to ImageBitmaps off the main
// thread, keeping a small LRU of decoded frames and reading a few ahead in the direction of travel, so that
// holding an arrow key draws each frame the moment it is asked for.
export class FrameLoader {
  private readonly cache = new Map<number, ImageBitmap>()
  private readonly inflight = new Map<number, Promise<ImageBitmap>>()
  private generation = 0

  constructor(
    private urlOf: (frame: number) => string,
    private readonly capacity = 48
  ) {}

  /** Points the loader at another video; everything cached for the old one is released. */
  reset(urlOf: (frame: number) => string): void {
    this.generation++
    this.urlOf = urlOf
    for (const b of this.cache.values()) b.close()
    this.cache.clear()
    this.inflight.clear()
  }

  peek(frame: number): ImageBitmap | undefined {
    const b = this.cache.get(frame)
    if (b) {
      this.cache.delete(frame)
      this.cache.set(frame, b)
    }
    return b
  }

  load(frame: number): Promise<ImageBitmap> {
    const cached = this.peek(frame)
    if (cached) return Promise.resolve(cached)
    const running = this.inflight.get(frame)
    if (running) return running
    const gen = this.generation
    const p = fetch(this.urlOf(frame))
      .then(async (res) => {
        if (!res.ok)
          throw new Error((await res.text()) || `Frame ${frame} could not be read (HTTP ${res.status}).`)
        return createImageBitmap(await res.blob())
      })
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

  /** Warms the cache around the playhead; errors are ignored here and surface when the frame is shown. */
  readAhead(from: number, direction: 1 | -1, count: number, frameCount: number): void {
    for (let i = 1; i <= count; i++) {
      const n = from + i * direction
      if (n < 0 || n >= frameCount) break
      if (!this.cache.has(n) && !this.inflight.has(n) && this.inflight.size < 4)
        this.load(n).catch(() => undefined)
    }
  }

  private store(frame: number, bitmap: ImageBitmap): void {
    this.cache.set(frame, bitmap)
    while (this.cache.size > this.capacity) {
      const oldest = this.cache.keys().next().value as number
      this.cache.get(oldest)?.close()
      this.cache.delete(oldest)
    }
  }
}
