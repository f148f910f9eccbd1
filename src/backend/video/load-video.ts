// Runs in the backend (plain Node): probe + frame index for a path, from the on-disk cache when the file is
// unchanged (same absolute path, size and mtime), otherwise built with ffprobe and then cached.
import path from 'node:path'
import type { FfmpegInfo } from '../ffmpeg/locate'
import { ChildGroup } from './child-processes'
import { buildFrameIndex, type FrameIndex } from './frame-index'
import { loadIndex, saveIndex } from './index-cache'
import { probeVideo, type ProbeResult } from './probe'
import { checkVideoFile } from './video-errors'
import { withIndex } from './video-info'

export interface LoadedVideo {
  /** info is final: counts and timing come from the index. */
  probe: ProbeResult
  index: FrameIndex
  fromCache: boolean
}

export async function loadVideo(
  ffmpeg: FfmpegInfo,
  filePath: string,
  cacheDir: string | null,
  group = new ChildGroup()
): Promise<LoadedVideo> {
  const abs = path.resolve(filePath)
  const { size, mtimeMs } = await checkVideoFile(abs)
  const key = { path: abs, size, mtimeMs }
  if (cacheDir) {
    const hit = await loadIndex(cacheDir, key)
    if (hit) return { ...hit, fromCache: true }
  }
  const probe = await probeVideo(ffmpeg.ffprobePath, abs, group)
  const index = await buildFrameIndex(ffmpeg.ffprobePath, abs, probe.streamIndex, probe.timeBase, group)
  const final: ProbeResult = { ...probe, info: withIndex(probe, index) }
  if (cacheDir) {
    // A cache that cannot be written (read-only disk, full disk) only costs a re-index next time.
    await saveIndex(cacheDir, key, final, index).catch(() => undefined)
  }
  return { probe: final, index, fromCache: false }
}
