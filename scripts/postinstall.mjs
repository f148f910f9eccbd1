// Runs in plain Node (scripts), as the package's postinstall: keeps Electron's npm package when its binary
// could not be downloaded. Electron is an optional dependency, so where its install script fails (no access to
// the host that serves the binary) npm drops the whole package. The build (electron-vite reads Electron's
// version) and the type checks (Electron's own .d.ts) need the package, not the binary, so it is put back
// without its install script. `npm start` then finds no binary and says it starts browser mode instead.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

function lockedElectronVersion() {
  try {
    const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8'))
    return lock.packages?.['node_modules/electron']?.version ?? null
  } catch {
    return null
  }
}

if (existsSync(path.join(root, 'node_modules', 'electron', 'package.json'))) process.exit(0)
const version = lockedElectronVersion()
if (!version) process.exit(0)
console.log(
  `Electron ${version}: its binary could not be installed, so its package is installed without it ` +
    '(for the build and the type checks); `npm start` will use browser mode.'
)
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const r = spawnSync(
  npm,
  ['install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', `electron@${version}`],
  { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], shell: process.platform === 'win32' }
)
// Never fail the install for this: without the package the build still runs (see electron.vite.config.ts).
if (r.status !== 0)
  console.log(`Could not add Electron's package (npm exited ${r.status}); continuing without it.`)
