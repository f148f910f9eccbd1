// Runs in the backend (plain Node): the public face of the video engine: open videos, get frame N as JPEG
// (frame-exact, prefetched, cached), and read frames scaled to rgb24 for the tracker.
export { VideoEngine, type VideoEngineOptions } from './video-engine'
export type { VideoHandle, PrefetchDirection } from './video-handle'
export { readFramesScaled, type ScaledFrame, type ScaledReadOptions } from './scaled-reader'
export { probeVideo, type ProbeResult, type VideoInfo } from './probe'
export { FrameIndex, buildFrameIndex } from './frame-index'
