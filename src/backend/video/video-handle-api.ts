// Runs in the backend (plain Node): what an open video offers its users (the services, the hosts' frame
// routes, the tracker's look-ups), apart from how video-handle.ts does it.
import type { Preview, PreviewState } from './keyframe-previews'
import type { VideoInfo } from './probe'

export type PrefetchDirection = 'forward' | 'backward' | 'both'

export interface VideoHandle {
  /** Short lowercase token (matches the VideoId schema). */
  readonly id: string
  readonly info: VideoInfo
  /** time = seconds since frame 0. */
  frameTime(n: number): { frame: number; time: number; keyframe: boolean }
  /** JPEG bytes of frame n. ApiError 'bad-request' if n is out of range, 'not-found' if the file vanished. */
  getFrame(n: number, signal?: AbortSignal): Promise<Buffer>
  /** Hint: the user is at frame n and moving this way; decode around it in the background. */
  prefetch(n: number, direction: PrefetchDirection): void
  /**
   * At once, a picture to show while frame n decodes: frame n itself when it is decoded already, else the
   * nearest decoded frame or keyframe preview (smaller); null when none is near. Never starts a decoder.
   */
  preview(n: number): Preview | null
  close(): void
}

/** Diagnostics for tests and the benchmark. */
export interface HandleStats {
  live: { from: number; next: number; paused: boolean; ended: boolean } | null
  back: { from: number; to: number; next: number } | null
  /** Decoders serving requests away from the playhead. */
  side: number
  children: number
  cachedFrames: number
  /** The keyframe previews: how far their pass is, how many there are, their bytes. */
  previews: { state: PreviewState; count: number; bytes: number }
}
