// Runs in plain Node (scripts): the README's start command. Builds if the sources changed, makes the demo
// project (a generated match) at first run, then opens the studio on it: the desktop app where Electron can
// run, browser mode otherwise (or with --browser), saying which and why.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const forceBrowser = args.includes('--browser')
const cli = path.join(root, 'bin', 'shuttle-studio.cjs')

function newestMtime(dir) {
  let newest = 0
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name)
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs)
  }
  return newest
}

function ensureBuilt() {
  const built = path.join(root, 'out', 'main', 'cli.js')
  if (existsSync(built) && statSync(built).mtimeMs >= newestMtime(path.join(root, 'src'))) return
  console.log('Building the studio (first start, or the sources changed)…')
  const r = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' })
  if (r.status !== 0) process.exit(r.status ?? 1)
}

function electronProblem() {
  if (forceBrowser) return 'browser mode was asked for'
  let bin
  try {
    bin = createRequire(import.meta.url)('electron')
  } catch {
    return 'the Electron binary is not installed (its download failed or was skipped)'
  }
  if (typeof bin !== 'string' || !existsSync(bin)) return 'the Electron binary is not installed'
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return 'there is no display (DISPLAY/WAYLAND_DISPLAY unset)'
  }
  return null
}

ensureBuilt()
const demo = spawnSync(process.execPath, [cli, 'demo', '--print-path'], {
  cwd: root,
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit']
})
if (demo.status !== 0) process.exit(demo.status ?? 1)
const demoVideo = demo.stdout.trim().split('\n').pop()

const problem = electronProblem()
const env = { ...process.env, SHUTTLE_DEMO_VIDEO: demoVideo }
if (!problem) {
  console.log('Starting the desktop app on the demo rally…')
  const bin = createRequire(import.meta.url)('electron')
  spawn(bin, [root], { stdio: 'inherit', env }).on('exit', (code) => process.exit(code ?? 0))
} else {
  console.log(`Starting browser mode, because ${problem}.`)
  const serveArgs = [cli, 'serve', '--demo-video', demoVideo, ...args.filter((a) => a !== '--browser')]
  spawn(process.execPath, serveArgs, { stdio: 'inherit', env }).on('exit', (code) => process.exit(code ?? 0))
}
