// Runs in the backend (plain Node): frame sinks. The ffmpeg sink pipes raw rgb24 frames into libx264 through
// stdin, honouring backpressure and never reusing a frame buffer before ffmpeg has taken it; a small pool of
// buffers keeps memory flat however long the clip.
import { spawn } from 'node:child_process'
import { rawRgbInputArgs } from '../ffmpeg/raw-input'

export interface FrameSink {
  /** Hands over a filled frame; resolves when the buffer may be reused. */
  write(frame: Buffer): Promise<void>
  close(): Promise<void>
}

export interface EncodeSettings {
  ffmpegPath: string
  width: number
  height: number
  fps: number
  out: string
  preset: string
  crf: number
}

export function ffmpegArgs(s: EncodeSettings): string[] {
  return [
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    ...rawRgbInputArgs(s.width, s.height, s.fps),
    '-an',
    '-c:v',
    'libx264',
    '-preset',
    s.preset,
    '-crf',
    String(s.crf),
    '-pix_fmt',
    'yuv420p',
    // x264 is deterministic with frame threads unless told otherwise; bitexact drops the muxer's version string
    // so the same frames give the same bytes with another ffmpeg build too.
    '-fflags',
    '+bitexact',
    '-flags:v',
    '+bitexact',
    '-movflags',
    '+faststart',
    s.out
  ]
}

export function ffmpegSink(s: EncodeSettings): FrameSink {
  const child = spawn(s.ffmpegPath, ffmpegArgs(s), { stdio: ['pipe', 'ignore', 'pipe'], windowsHide: true })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => {
    if (stderr.length < 8000) stderr += d.toString()
  })
  let failure: Error | null = null
  const exited = new Promise<void>((resolve, reject) => {
    child.on('error', (err) => {
      failure = new Error(`could not run ffmpeg (${s.ffmpegPath}): ${err.message}`)
      reject(failure)
    })
    child.on('close', (code) => {
      if (code === 0) resolve()
      else {
        failure = new Error(
          `ffmpeg failed encoding ${s.out} (exit ${code}): ${stderr.trim() || 'no message'}`
        )
        reject(failure)
      }
    })
  })
  // Surfaced through write/close; avoid an unhandled rejection if ffmpeg dies between writes.
  exited.catch(() => undefined)
  child.stdin.on('error', () => undefined)
  return {
    write(frame: Buffer): Promise<void> {
      if (failure) return Promise.reject(failure)
      return new Promise<void>((resolve, reject) => {
        // The callback fires once the chunk has been handed to the pipe, so the buffer is free again then.
        child.stdin.write(frame, (err) => {
          if (err) reject(failure ?? new Error(`ffmpeg stopped taking frames: ${err.message}`))
          else resolve()
        })
      })
    },
    async close(): Promise<void> {
      child.stdin.end()
      await exited
    }
  }
}
