// Runs in the backend (plain Node): the decoded-frame cache shared by every open video of an engine: JPEG bytes
// by (video, frame), least recently used first out, bounded by bytes (not frames: a 4K JPEG weighs ten
// 480p ones), so memory stays bounded whatever the video's length.
export const DEFAULT_CACHE_BYTES = 256 * 1024 * 1024

export class FrameCache {
  private readonly map = new Map<string, Buffer>()
  private total = 0

  constructor(readonly maxBytes = DEFAULT_CACHE_BYTES) {}

  get bytes(): number {
    return this.total
  }

  get size(): number {
    return this.map.size
  }

  has(video: string, frame: number): boolean {
    return this.map.has(`${video}:${frame}`)
  }

  /** Returns the frame and marks it recently used. */
  get(video: string, frame: number): Buffer | undefined {
    const k = `${video}:${frame}`
    const v = this.map.get(k)
    if (v) {
      this.map.delete(k)
      this.map.set(k, v)
    }
    return v
  }

  set(video: string, frame: number, data: Buffer): void {
    const k = `${video}:${frame}`
    const old = this.map.get(k)
    if (old) {
      this.total -= old.length
      this.map.delete(k)
    }
    if (data.length > this.maxBytes) return
    this.map.set(k, data)
    this.total += data.length
    for (const [key, v] of this.map) {
      if (this.total <= this.maxBytes) break
      this.map.delete(key)
      this.total -= v.length
    }
  }

  /** Drops every frame of one video (on close). */
  dropVideo(video: string): void {
    const prefix = `${video}:`
    for (const [k, v] of this.map) {
      if (k.startsWith(prefix)) {
        this.map.delete(k)
        this.total -= v.length
      }
    }
  }
}
