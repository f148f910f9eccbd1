// Runs in the backend (plain Node): finds ffmpeg and ffprobe, in the order a user expects to control it:
// an explicit setting, then FFMPEG_PATH (and FFPROBE_PATH), then the ffmpeg-static package, then the PATH.
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { promisify } from 'node:util'
import type { z } from 'zod'
import { ApiError } from '../../shared/api/errors'
import type { FfmpegInfo as FfmpegInfoSchema } from '../../shared/api/schemas'

export type FfmpegInfo = z.infer<typeof FfmpegInfoSchema>

const run = promisify(execFile)

const INSTALL_HINT =
  'Install ffmpeg (Debian/Ubuntu: "sudo apt install ffmpeg"; macOS: "brew install ffmpeg"; Windows: "winget install ffmpeg"), ' +
  'or set FFMPEG_PATH to the ffmpeg executable, or choose it in Settings.'

async function versionOf(bin: string): Promise<string | null> {
  try {
    const { stdout } = await run(bin, ['-version'], { timeout: 10_000, windowsHide: true })
    const first = stdout.split('\n')[0] ?? ''
    return first.replace(/^ff(mpeg|probe) version /, '').split(' ')[0] ?? 'unknown'
  } catch {
    return null
  }
}

/** ffprobe is looked for beside ffmpeg first (same folder, same build), then on the PATH. */
function probeBeside(ffmpegPath: string): string {
  const dir = path.dirname(ffmpegPath)
  const name = process.platform === 'win32' ? 'ffprobe.exe' : 'ffprobe'
  if (dir && dir !== '.' && existsSync(path.join(dir, name))) return path.join(dir, name)
  return process.env.FFPROBE_PATH || name
}

function ffmpegStaticPath(): string | null {
  try {
    const req = createRequire(import.meta.url ?? __filename)
    const p = req('ffmpeg-static') as unknown
    if (typeof p !== 'string') return null
    // Inside a packaged app the binary is unpacked beside the asar archive (electron-builder's asarUnpack).
    const unpacked = p.replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`)
    return existsSync(unpacked) ? unpacked : null
  } catch {
    return null
  }
}

export async function locateFfmpeg(setting?: string | null): Promise<FfmpegInfo> {
  const candidates: { bin: string; source: FfmpegInfo['source'] }[] = []
  if (setting) candidates.push({ bin: setting, source: 'setting' })
  if (process.env.FFMPEG_PATH) candidates.push({ bin: process.env.FFMPEG_PATH, source: 'env' })
  const stat = ffmpegStaticPath()
  if (stat) candidates.push({ bin: stat, source: 'ffmpeg-static' })
  candidates.push({ bin: process.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg', source: 'path' })

  const tried: string[] = []
  for (const c of candidates) {
    const version = await versionOf(c.bin)
    if (!version) {
      tried.push(`${c.source}: ${c.bin}`)
      continue
    }
    const ffprobePath = probeBeside(c.bin)
    if (!(await versionOf(ffprobePath))) {
      tried.push(`${c.source}: ${c.bin} (ffmpeg found, but no ffprobe beside it or on the PATH)`)
      continue
    }
    return { ffmpegPath: c.bin, ffprobePath, version, source: c.source }
  }
  throw new ApiError('no-ffmpeg', `ffmpeg was not found (tried ${tried.join(', ')}). ${INSTALL_HINT}`)
}
