// Runs in Node (Playwright): where the Electron binary is, or why there is none — desktop tests skip with
// that one-line reason (CI machines cannot download Electron's binary).
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'

export function electronBinary(): { path: string } | { missing: string } {
  let bin: unknown
  try {
    bin = createRequire(__filename)('electron')
  } catch {
    return {
      missing: 'Electron binary not installed (its download failed or was skipped): desktop tests skipped'
    }
  }
  if (typeof bin !== 'string' || !existsSync(bin))
    return { missing: 'Electron binary not installed: desktop tests skipped' }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { missing: 'no display for Electron (run under xvfb-run): desktop tests skipped' }
  }
  return { path: bin }
}
