// Runs in the backend (plain Node): renders a video with the track drawn on it — a ring at each frame's
// position and a fading trail of the last frames — for the command line's --overlay. Frames are read at full
// size through the video engine (frame N is frame N, as everywhere), drawn here, and piped to ffmpeg (H.264).
// The output is constant frame rate at the video's average rate: fine for looking, not for frame timing.
import { spawn } from 'node:child_process'
import type { FfmpegInfo } from '../ffmpeg/locate'
import { readFramesScaled, type VideoInfo } from '../video'
import { writeError } from './errors'
import type { TrackPoint } from './rectify'

const TRAIL = 8

function dot(
  rgb: Buffer,
  w: number,
  h: number,
  cx: number,
  cy: number,
  r: number,
  ring: boolean,
  c: number[]
): void {
  const r2o = r * r
  const r2i = ring ? (r - Math.max(2, r / 4)) ** 2 : -1
  for (let y = Math.max(0, Math.floor(cy - r)); y <= Math.min(h - 1, Math.ceil(cy + r)); y++) {
    for (let x = Math.max(0, Math.floor(cx - r)); x <= Math.min(w - 1, Math.ceil(cx + r)); x++) {
      const d2 = (x - cx) ** 2 + (y - cy) ** 2
      if (d2 > r2o || d2 < r2i) continue
      const i = (y * w + x) * 3
      rgb[i] = c[0] as number
      rgb[i + 1] = c[1] as number
      rgb[i + 2] = c[2] as number
    }
  }
}

export async function writeOverlayVideo(
  ffmpeg: FfmpegInfo,
  video: VideoInfo,
  points: readonly TrackPoint[],
  outFile: string,
  signal?: AbortSignal
): Promise<void> {
  const { width: w, height: h } = video
  const r = Math.max(4, Math.round(Math.min(w, h) / 80))
  const args = ['-v', 'error', '-y', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${w}x${h}`]
  args.push('-r', String(video.fps), '-i', 'pipe:0', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20')
  args.push('-pix_fmt', 'yuv420p', '-movflags', '+faststart', '-f', 'mp4', outFile)
  const child = spawn(ffmpeg.ffmpegPath, args, { stdio: ['pipe', 'ignore', 'pipe'], windowsHide: true })
  let stderr = ''
  child.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-2000)))
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(writeError(outFile, new Error(stderr.trim().split('\n').pop() ?? `exit ${code}`)))
    )
  })
  child.stdin.on('error', () => undefined)
  try {
    for await (const f of readFramesScaled(ffmpeg, video.path, { width: w, height: h, signal })) {
      const rgb = Buffer.from(f.rgb)
      for (let k = TRAIL; k >= 1; k--) {
        const p = points[f.frame - k]
        if (p?.visible) dot(rgb, w, h, p.x, p.y, Math.max(2, r / 3), false, [255, 200 - 15 * k, 0])
      }
      const p = points[f.frame]
      if (p?.visible) dot(rgb, w, h, p.x, p.y, r, true, [255, 40, 40])
      if (!child.stdin.write(rgb)) await new Promise((res) => child.stdin.once('drain', res))
    }
    child.stdin.end()
    await done
  } catch (e) {
    child.kill('SIGKILL')
    done.catch(() => undefined)
    throw e
  }
}
