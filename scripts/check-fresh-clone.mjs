// Runs in plain Node (scripts, CI): the README's two first commands exactly as a new user types them, in a fresh
// clone of the committed tree: `npm ci`, then `npm start`, with no extra environment. Where Electron's binary
// cannot be downloaded (or there is no display) `npm start` must fall back to browser mode, print its address,
// and serve the studio on the demo rally: Chromium opens that address and waits for the demo's first frame.
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const START_LIMIT_MS = 6 * 60_000
const work = mkdtempSync(path.join(os.tmpdir(), 'fresh-clone-'))
const clone = path.join(work, 'shuttle-studio')
// A user's environment, less what would make this run differ from theirs: no display (so browser mode), no
// hint to skip Electron's download, and a cache folder of its own (the demo is made from scratch).
const env = { ...process.env, SHUTTLE_CACHE_DIR: path.join(work, 'cache') }
for (const key of ['ELECTRON_SKIP_BINARY_DOWNLOAD', 'DISPLAY', 'WAYLAND_DISPLAY']) delete env[key]

function step(what, cmd, args, cwd) {
  console.log(`fresh clone: ${what}`)
  execFileSync(cmd, args, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] })
}

/** Runs `npm start` and resolves with the browser-mode address it prints. */
function startStudio() {
  const child = spawn('npm', ['start'], {
    cwd: clone,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true
  })
  const url = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('npm start printed no address in time')), START_LIMIT_MS)
    createInterface({ input: child.stdout }).on('line', (line) => {
      console.log(`  | ${line}`)
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(line)
      if (m) {
        clearTimeout(timer)
        resolve(m[1])
      }
    })
    child.once('exit', (code) =>
      reject(new Error(`npm start exited with ${code} before printing an address`))
    )
  })
  return { child, url }
}

let studio
let browser
let failed = false
try {
  step('git clone', 'git', ['clone', '--quiet', root, clone], work)
  step('npm ci', 'npm', ['ci', '--no-audit', '--no-fund'], clone)
  studio = startStudio()
  const url = await studio.url
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu']
  })
  const page = await browser.newPage()
  await page.goto(url)
  await page.locator('[data-testid="frame-canvas"][data-shown-frame="0"]').waitFor({ timeout: 120_000 })
  console.log('fresh clone: ok — `npm ci` then `npm start` serve the studio on the demo rally')
} catch (err) {
  failed = true
  console.error(`fresh clone: FAILED — ${err instanceof Error ? err.message : String(err)}`)
} finally {
  await browser?.close()
  // npm start's own children (the CLI server) are in its process group.
  if (studio?.child.pid) {
    try {
      process.kill(-studio.child.pid, 'SIGTERM')
    } catch {
      // already gone
    }
  }
  rmSync(work, { recursive: true, force: true, maxRetries: 3 })
}
process.exit(failed ? 1 : 0)
