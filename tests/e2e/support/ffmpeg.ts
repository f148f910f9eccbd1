// Runs in Node (Playwright): the ffmpeg a test uses to make or change a video, found in the studio's order
// (FFMPEG_PATH, then the ffmpeg-static package, then the PATH). The backend's own locator is an ES module that
// Playwright's loader cannot import, and a test needs only the path.
import { existsSync } from 'node:fs'

export function testFfmpeg(): string {
  if (process.env.FFMPEG_PATH) return process.env.FFMPEG_PATH
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bundled = require('ffmpeg-static') as unknown
    if (typeof bundled === 'string' && existsSync(bundled)) return bundled
  } catch {
    // Not installed (its binary could not be downloaded): the PATH's.
  }
  return 'ffmpeg'
}
