// Runs in plain Node (scripts): the system parts the README's commands need beyond Node and npm, checked before
// any work starts, so a bare machine gets one line saying what to install instead of a failure deep in a gate.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

function runs(bin, args) {
  const r = spawnSync(bin, args, { stdio: 'ignore', timeout: 20_000 })
  return r.status === 0
}

/** ffmpeg as the backend finds it (src/backend/ffmpeg/locate.ts): FFMPEG_PATH, ffmpeg-static, the PATH. */
function hasFfmpeg() {
  const candidates = [process.env.FFMPEG_PATH]
  try {
    candidates.push(require('ffmpeg-static'))
  } catch {
    // the optional package is absent (its binary download failed): the PATH is next
  }
  candidates.push('ffmpeg')
  return candidates.some((bin) => typeof bin === 'string' && bin && runs(bin, ['-version']))
}

export const FFMPEG_HINT =
  'ffmpeg is missing: install it (Debian/Ubuntu: sudo apt install ffmpeg; macOS: brew install ffmpeg; ' +
  'Windows: winget install ffmpeg) or set FFMPEG_PATH'

/** What is missing for the given needs ('ffmpeg', 'chromium'), one line each. */
export function missingParts(needs) {
  const lines = []
  if (needs.includes('ffmpeg') && !hasFfmpeg()) lines.push(FFMPEG_HINT)
  if (needs.includes('chromium')) {
    const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
    if (!existsSync(chromium))
      lines.push(
        `Chromium is missing at ${chromium} (the end-to-end tests drive it): install it ` +
          '(Debian: sudo apt install chromium) or set CHROMIUM_PATH to a Chromium or Chrome executable'
      )
  }
  return lines
}
