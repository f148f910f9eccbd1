// Runs in plain Node (scripts): makes a screenshot small enough for the repository — the PNG redrawn with a
// palette of at most 256 colours by ffmpeg (the studio's own dependency), fewer colours until it fits. The
// studio is flat dark UI, so a palette keeps the text sharp; only the video frame loses a little shading.
import { execFile } from 'node:child_process'
import { rename, rm, stat } from 'node:fs/promises'
import { promisify } from 'node:util'
import { locateFfmpeg } from '../../src/backend/ffmpeg/locate'

const run = promisify(execFile)

/** Rewrites `file` in place under `maxBytes`; returns its size. Throws when even 32 colours do not fit. */
export async function shrinkPng(file: string, maxBytes: number): Promise<number> {
  const { ffmpegPath } = await locateFfmpeg()
  const tmp = `${file}.palette.png`
  try {
    for (const colours of [256, 128, 64, 32]) {
      const graph = `split[a][b];[a]palettegen=max_colors=${colours}:stats_mode=full[p];[b][p]paletteuse=dither=none`
      await run(ffmpegPath, ['-v', 'error', '-y', '-i', file, '-vf', graph, '-frames:v', '1', tmp])
      const size = (await stat(tmp)).size
      if (size <= maxBytes) {
        await rename(tmp, file)
        return size
      }
    }
  } finally {
    await rm(tmp, { force: true })
  }
  throw new Error(`${file} stays over ${Math.round(maxBytes / 1000)} kB even with 32 colours`)
}
