// Runs in the backend (plain Node): the picture size (and the container's frame count) of a video, which the
// metrics need for the tolerance. A small ffprobe call of its own, like training/shuttle_training/video.py
// `probe`: the coded width × height of the first video stream (no rotation applied), so both sides scale τ
// from the same numbers.
import { execFile } from 'node:child_process'
import path from 'node:path'

export interface VideoSizeInfo {
  width: number
  height: number
  /** The container's frame count (nb_frames) when it states one; an estimate, null when absent. */
  frameCount: number | null
}

export class ProbeError extends Error {
  override name = 'ProbeError'
}

const PROBE_TIMEOUT_MS = 60_000

export function probeVideoSize(ffprobe: string, videoPath: string): Promise<VideoSizeInfo> {
  // An absolute path never starts with "-", so ffprobe cannot take it for an option.
  const abs = path.resolve(videoPath)
  const args = ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height,nb_frames']
  args.push('-of', 'json', abs)
  return new Promise((resolve, reject) => {
    execFile(ffprobe, args, { timeout: PROBE_TIMEOUT_MS, windowsHide: true }, (err, stdout, stderr) => {
      if (err) {
        const why = String(stderr).trim().split('\n').pop() || err.message
        reject(new ProbeError(`${videoPath}: ffprobe cannot read a video stream (${why}).`))
        return
      }
      try {
        const out = JSON.parse(String(stdout)) as {
          streams?: { width?: number; height?: number; nb_frames?: string }[]
        }
        const s = out.streams?.[0]
        if (!s || !s.width || !s.height) throw new Error('no video stream')
        const n = Number(s.nb_frames)
        resolve({ width: s.width, height: s.height, frameCount: Number.isInteger(n) && n > 0 ? n : null })
      } catch (e) {
        reject(new ProbeError(`${videoPath}: ffprobe found no video stream (${(e as Error).message}).`))
      }
    })
  })
}
