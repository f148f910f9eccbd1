// Runs in the backend (plain Node): one opener's hold on an open video. Opening a file that is open already
// hands out another lease on the same handle (same id, decoders and cached frames), so opening a video forty
// times starts its ffmpeg processes once; the handle closes when its last lease is closed.
import { closedError } from './frame-request-errors'
import type { Preview } from './keyframe-previews'
import type { Handle, HandleStats, PrefetchDirection, VideoHandle } from './video-handle'

export class HandleLease implements VideoHandle {
  private released = false

  constructor(
    private readonly handle: Handle,
    private readonly release: () => void
  ) {}

  get id(): string {
    return this.handle.id
  }

  get info(): Handle['info'] {
    return this.handle.info
  }

  frameTime(n: number): { frame: number; time: number; keyframe: boolean } {
    return this.handle.frameTime(n)
  }

  getFrame(n: number, signal?: AbortSignal): Promise<Buffer> {
    if (this.released) return Promise.reject(closedError())
    return this.handle.getFrame(n, signal)
  }

  prefetch(n: number, direction: PrefetchDirection): void {
    if (!this.released) this.handle.prefetch(n, direction)
  }

  preview(n: number): Preview | null {
    return this.released ? null : this.handle.preview(n)
  }

  /** Gives this hold back; the video's decoders stop when no other opener holds it. */
  close(): void {
    if (this.released) return
    this.released = true
    this.release()
  }

  /** Diagnostics of the shared handle, for tests and the benchmark. */
  stats(): HandleStats {
    return this.handle.stats()
  }
}
