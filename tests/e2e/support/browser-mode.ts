// Runs in Node (Playwright): starts the built studio in browser mode exactly as a user would
// (`shuttle-studio serve`), with its own cache folder, and reads the URL it prints.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'

export interface RunningStudio {
  url: string
  origin: string
  token: string
  cacheDir: string
  stop(): Promise<void>
  /** Kills the server at once (SIGKILL), as a crash would; resolves once it has exited. */
  crash(): Promise<void>
}

const root = path.resolve(__dirname, '..', '..', '..')

export async function startStudio(
  extraArgs: string[] = [],
  env: Record<string, string> = {}
): Promise<RunningStudio> {
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'studio-e2e-cache-'))
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(root, 'bin', 'shuttle-studio.cjs'), 'serve', '--json', ...extraArgs],
    {
      cwd: root,
      env: { ...process.env, SHUTTLE_CACHE_DIR: cacheDir, ...env },
      stdio: ['ignore', 'pipe', 'inherit']
    }
  )
  const first = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! })
    rl.once('line', resolve)
    child.once('exit', (code) =>
      reject(new Error(`shuttle-studio serve exited with ${code} before printing its URL`))
    )
  })
  const { url, token } = JSON.parse(first) as { url: string; token: string }
  const end = (signal: NodeJS.Signals) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve()
      child.once('exit', () => resolve())
      child.kill(signal)
    })
  return {
    url,
    token,
    origin: new URL(url).origin,
    cacheDir,
    stop: () => end('SIGTERM'),
    crash: () => end('SIGKILL')
  }
}
