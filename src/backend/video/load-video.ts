// Runs in the backend (plain Node): probe + frame index for a path, from the on-disk cache when the file is
// unchanged (same absolute path, size and mtime — or, in a project's portable index, same path within the
// project, size and content), otherwise built with ffprobe and then cached.
import path from 'node:path'
import type { FfmpegInfo } from '../ffmpeg/locate'
import { videoContentHash } from '../fs/content-hash'
import { ChildGroup } from './child-processes'
import { buildFrameIndex, type FrameIndex } from './frame-index'
import { loadIndex, saveIndex, type IndexLocation, type Portable } from './index-cache'
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
  cache: string | IndexLocation | null,
  group = new ChildGroup()
): Promise<LoadedVideo> {
  const abs = path.resolve(filePath)
  const { size, mtimeMs } = await checkVideoFile(abs)
  const where = typeof cache === 'string' ? { dir: cache } : cache
  const cacheDir = where?.dir || null
  const root = where?.root
  // Relative with '/' so the key is the same on every platform the project travels to.
  const keyPath = root ? path.relative(path.resolve(root), abs).split(path.sep).join('/') : abs
  const key = { path: keyPath, size, mtimeMs }
  const portable: Portable | undefined = root ? { fingerprint: () => videoContentHash(abs) } : undefined
  if (cacheDir) {
    const hit = await loadIndex(cacheDir, key, portable)
    if (hit) {
      // The index may come from another place (a copied project): the info names the file where it is now.
      const probe = { ...hit.probe, info: { ...hit.probe.info, path: abs, name: path.basename(abs) } }
      if (hit.touched) await saveIndex(cacheDir, key, probe, hit.index, portable).catch(() => undefined)
      return { probe, index: hit.index, fromCache: true }
    }
  }
  const probe = await probeVideo(ffmpeg.ffprobePath, abs, group)
  const index = await buildFrameIndex(ffmpeg.ffprobePath, abs, probe.streamIndex, probe.timeBase, group)
  const final: ProbeResult = { ...probe, info: withIndex(probe, index) }
  if (cacheDir) {
    // A cache that cannot be written (read-only disk, full disk) only costs a re-index next time.
    await saveIndex(cacheDir, key, final, index, portable).catch(() => undefined)
  }
  return { probe: final, index, fromCache: false }
}
