// Runs in plain Node (scripts): starts the built studio in browser mode (`shuttle-studio serve`) and Debian's
// Chromium (or CHROMIUM_PATH) for the scripts that drive the real studio, e.g. to make the docs' screenshots.
import { spawn } from 'node:child_process'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { chromium, type Browser } from 'playwright-core'

export interface StudioInBrowser {
  url: string
  browser: Browser
  close(): Promise<void>
}

export async function startStudioInBrowser(
  serveArgs: string[] = [],
  env: Record<string, string> = {}
): Promise<StudioInBrowser> {
  const cli = path.resolve(__dirname, '..', '..', 'bin', 'shuttle-studio.cjs')
  const server = spawn(process.execPath, [cli, 'serve', '--json', ...serveArgs], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env }
  })
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: server.stdout! }).once('line', (l) =>
      resolve((JSON.parse(l) as { url: string }).url)
    )
    server.once('exit', (code) => reject(new Error(`shuttle-studio serve exited with ${code}`)))
  })
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu']
  })
  return {
    url,
    browser,
    close: async () => {
      await browser.close()
      server.kill()
    }
  }
}
