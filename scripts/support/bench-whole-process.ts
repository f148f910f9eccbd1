// Runs in plain Node (bench-track.ts): the whole-process row — `shuttle-studio track` on a long 720p clip, timed
// from the spawn of the command to its exit (Node start, model load and the int8/fp32 choice, the background
// pass, decoding, inference, post-processing, the CSVs written), as a user meets it. No result cache. Needs the
// build (bin/shuttle-studio.cjs runs out/); says so instead of failing when it is missing.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import path from 'node:path'
import type { FfmpegInfo } from '../../src/backend/ffmpeg/locate'
import { makeClip } from './bench-measure'

const ROOT = path.resolve(__dirname, '..', '..')
const CLI = path.join(ROOT, 'bin', 'shuttle-studio.cjs')

export interface WholeProcess {
  frames: number
  seconds: number
  fps: number
  /** What `track` said it ran (precision and why), from its summary. */
  ran: string
}

export async function wholeProcessTrack(
  ffmpeg: FfmpegInfo,
  modelPath: string,
  frames: number,
  outDir: string,
  /** More `track` options (--fast). */
  extra: string[] = []
): Promise<WholeProcess | string> {
  if (!existsSync(path.join(ROOT, 'out', 'main', 'cli.js')))
    return 'skipped: run `npm run build` first (it times the built CLI)'
  const clip = await makeClip(ffmpeg, 1280, 720, frames, `testsrc2-720p30-${frames}f.mp4`)
  await rm(outDir, { recursive: true, force: true })
  await mkdir(outDir, { recursive: true })
  const t0 = performance.now()
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [CLI, 'track', clip, '--model', modelPath, '--out', outDir, '--no-cache', ...extra],
      {
        stdio: ['ignore', 'pipe', 'pipe']
      }
    )
    let output = ''
    child.stdout.on('data', (d: Buffer) => (output += d.toString()))
    child.stderr.on('data', (d: Buffer) => (output += d.toString()))
    child.on('error', reject)
    child.on('close', (c) => resolve({ code: c, output }))
  })
  const seconds = (performance.now() - t0) / 1000
  if (code !== 0) return `failed (exit ${code}): ${output.trim().split('\n').slice(-2).join(' ')}`
  const ran =
    output
      .split('\n')
      .find((l) => /int8|fp32/.test(l))
      ?.trim() ?? ''
  return { frames, seconds, fps: frames / seconds, ran }
}
