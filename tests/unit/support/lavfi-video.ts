// Runs in Node (Vitest): a short MPEG-4 video made by ffmpeg from one of its own sources (a test pattern, a
// colour with noise), optionally through a filter (e.g. fps=30 to convert a 25 fps pattern), for tests that need
// a real file with a known picture cadence.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)

export async function lavfiVideo(
  ffmpegPath: string,
  file: string,
  source: string,
  filter?: string
): Promise<string> {
  const vf = filter ? ['-vf', filter] : []
  await run(ffmpegPath, [
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    source,
    ...vf,
    '-c:v',
    'mpeg4',
    '-q:v',
    '4',
    '-y',
    file
  ])
  return file
}
