// Runs in the backend (plain Node): the tracker's view of a video through the video engine — its facts, and
// its frames scaled INSIDE ffmpeg to the letterbox's picture size (bilinear, as
// training/shuttle_training/letterbox.py's ffmpeg filter), numbered with the engine's frame index (frame N is
// the N-th frame in presentation order everywhere). The black padding of the letterbox is added while
// building the model input (preprocess.ts), which is the same picture as ffmpeg's pad filter would make.
import type { FfmpegInfo } from '../ffmpeg/locate'
import { readFramesScaled, VideoEngine, type ScaledFrame, type VideoInfo } from '../video'
import type { Letterbox } from '../../shared/heatmap'
import { medianPicture } from '../../shared/median-picture'
import { BACKGROUND_SAMPLES, backgroundSampleFrames } from './background'

export interface FrameSourceOptions {
  ffmpeg: FfmpegInfo
  /** The engine's frame-index cache, so a video indexed by the viewer is not indexed again. */
  indexCacheDir?: string
  /** ffmpeg decoder threads while tracking; undefined lets ffmpeg choose. */
  decoderThreads?: number
  signal?: AbortSignal
}

/** Probe + index (cached) of a video; throws the engine's ApiError ('not-found', 'not-a-video', 'io'). */
export async function videoFacts(path: string, o: FrameSourceOptions): Promise<VideoInfo> {
  // Facts only: no decoder is started and left waiting for frames nobody will ask for.
  const engine = new VideoEngine({
    ffmpeg: o.ffmpeg,
    indexCacheDir: o.indexCacheDir ?? '',
    warmDecoder: false
  })
  try {
    const handle = await engine.open(path)
    const info = handle.info
    handle.close()
    return info
  } finally {
    engine.closeAll()
  }
}

export function scaledFrames(
  path: string,
  lb: Letterbox,
  o: FrameSourceOptions & { from?: number; count?: number; only?: readonly number[] }
): AsyncGenerator<ScaledFrame> {
  return readFramesScaled(o.ffmpeg, path, {
    width: lb.scaledWidth,
    height: lb.scaledHeight,
    from: o.from,
    count: o.count,
    only: o.only,
    indexCacheDir: o.indexCacheDir,
    decoderThreads: o.decoderThreads,
    signal: o.signal
  })
}

/**
 * A sample read by a seek of its own costs a fresh ffmpeg, about as long as decoding this many frames, plus on
 * average half a GOP decoded from the keyframe before it (a 2,000-frame 720p clip with a 2 s GOP: 63 seeks
 * 9.8 s, one pass with only the samples scaled 3.9 s, on 2 busy cores; 155 ms a seek = 50 + 30 frames).
 */
const SEEK_START_FRAMES = 50

/** Whether one seek per sample decodes less than one pass up to the last sample (the longest clips). */
export function sampleBySeeks(frameCount: number, keyframeCount: number): boolean {
  const gop = frameCount / Math.max(1, keyframeCount)
  return frameCount > BACKGROUND_SAMPLES * (SEEK_START_FRAMES + gop / 2)
}

/** A short clip's letterboxed frames are kept from the background pass (then decoded once) up to this size. */
const KEEP_BYTES = 256 * 1024 * 1024

export interface Background {
  picture: Uint8Array
  /** Every frame of the clip, in order, when the clip was short enough to keep (so it is decoded only once). */
  frames: Uint8Array[] | null
}

/**
 * The median background of the letterboxed frames (scaled picture only; the padding stays black). Short clips
 * are read once, whole, and their frames handed back for the tracking pass — as the Python decodes a clip once
 * into its cache. Longer ones are decoded once up to the last sample with only the samples scaled and piped
 * (a 2,000-frame 720p clip: 3.6 s against 6.2 s for every frame scaled, on 2 busy cores), and the longest
 * (sampleBySeeks) sampled with one seek per sample, so neither memory nor this pass grows with the length.
 */
export async function medianBackground(
  path: string,
  lb: Letterbox,
  video: { frameCount: number; keyframeCount: number },
  o: FrameSourceOptions,
  onProgress?: (read: number, needed: number) => void
): Promise<Background> {
  const { frameCount } = video
  const wanted = backgroundSampleFrames(frameCount)
  // Every picture is reported; the listener throttles (the tracking service sends at most 4 events a second).
  const report = (read: number, needed: number): void => onProgress?.(read, needed)
  const pictures: Uint8Array[] = []
  const keep = frameCount * lb.scaledWidth * lb.scaledHeight * 3 <= KEEP_BYTES
  if (keep) {
    const set = new Set(wanted)
    const all: Uint8Array[] = []
    for await (const f of scaledFrames(path, lb, { ...o, from: 0, count: frameCount })) {
      // Each picture the reader hands out owns its bytes (cut from a buffer of its own, never reused), so it is
      // kept as it is, here and in the other two branches; a copy only cost time (this pass holds up the model).
      const picture: Uint8Array = f.rgb
      all.push(picture)
      if (set.has(f.frame)) pictures.push(picture)
      report(f.frame + 1, frameCount)
    }
    return { picture: medianPicture(pictures), frames: all }
  }
  if (!sampleBySeeks(frameCount, video.keyframeCount)) {
    for await (const f of scaledFrames(path, lb, { ...o, only: wanted })) {
      pictures.push(f.rgb)
      report(pictures.length, wanted.length)
    }
    return { picture: medianPicture(pictures), frames: null }
  }
  for (const n of wanted) {
    for await (const f of scaledFrames(path, lb, { ...o, from: n, count: 1 })) pictures.push(f.rgb)
    report(pictures.length, wanted.length)
  }
  return { picture: medianPicture(pictures), frames: null }
}

/** Frames kept in memory, served like the decoder serves them. */
export async function* framesFromMemory(
  frames: readonly Uint8Array[],
  from: number
): AsyncGenerator<ScaledFrame> {
  for (let n = from; n < frames.length; n++) yield { frame: n, rgb: frames[n] as Buffer }
}
