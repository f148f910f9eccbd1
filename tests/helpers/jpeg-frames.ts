// Runs in Node (Vitest, benchmark): reads the frame number drawn into JPEG frames, by decoding them to luma
// with ffmpeg (one process for a whole batch) and reading the block pattern of frame-pattern.ts.
import { execFile } from 'node:child_process'
import { decodeFrameNumber } from './frame-pattern'
import { ffmpegBin } from './test-videos'

/** Luma planes (width × height bytes each) of a batch of JPEGs, all of the given size. */
export function jpegsToLuma(jpegs: Buffer[], width: number, height: number): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const args = ['-hide_banner', '-loglevel', 'error', '-f', 'image2pipe', '-c:v', 'mjpeg', '-i', 'pipe:0']
    args.push('-f', 'rawvideo', '-pix_fmt', 'gray', '-fps_mode', 'passthrough', 'pipe:1')
    const child = execFile(
      ffmpegBin(),
      args,
      { encoding: 'buffer', maxBuffer: 1 << 30 },
      (err, stdout, stderr) => {
        if (err)
          return reject(new Error(`ffmpeg could not decode the JPEGs: ${stderr.toString() || err.message}`))
        const size = width * height
        if (stdout.length !== size * jpegs.length) {
          return reject(
            new Error(`expected ${jpegs.length} frames of ${width}x${height}, got ${stdout.length} bytes`)
          )
        }
        resolve(jpegs.map((_, i) => stdout.subarray(i * size, (i + 1) * size)))
      }
    )
    child.stdin!.end(Buffer.concat(jpegs))
  })
}

export function frameNumberOfLuma(luma: Buffer, width: number, height: number): number {
  return decodeFrameNumber((x, y) => luma[y * width + x] ?? 0, width, height)
}

/** The frame numbers drawn in a batch of JPEGs (-1 where no pattern is found). */
export async function frameNumbersOfJpegs(jpegs: Buffer[], width: number, height: number): Promise<number[]> {
  if (!jpegs.length) return []
  const planes = await jpegsToLuma(jpegs, width, height)
  return planes.map((p) => frameNumberOfLuma(p, width, height))
}
