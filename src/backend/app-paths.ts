// Runs in the backend (plain Node): where the studio keeps its caches and the demo, per platform, with an
// environment override so tests and CI never write into a user's home.
import os from 'node:os'
import path from 'node:path'

export function studioCacheDir(): string {
  if (process.env.SHUTTLE_CACHE_DIR) return path.resolve(process.env.SHUTTLE_CACHE_DIR)
  if (process.platform === 'win32') {
    return path.join(
      process.env.LOCALAPPDATA ?? path.join(os.homedir(), 'AppData', 'Local'),
      'ShuttleStudio',
      'Cache'
    )
  }
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Caches', 'ShuttleStudio')
  return path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'shuttle-studio')
}
