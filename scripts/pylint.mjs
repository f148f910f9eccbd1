// Runs in plain Node (scripts): the Python lint gate: flake8 (errors, unused names, line length) and black's format
// check over the training package and the Python test fixtures, with the rules in training/.flake8 and
// training/pyproject.toml. Where flake8 or black is missing it says in one line what to install; under CI that
// is a failure, on a user's machine a skip.
import { spawnSync } from 'node:child_process'

const PATHS = ['training', 'tests/fixtures/models', 'tests/fixtures/video']
const PYTHONS = [process.env.SHUTTLE_PYTHON, '/usr/bin/python3', 'python3', 'python'].filter(Boolean)

function runs(bin, args) {
  return spawnSync(bin, args, { stdio: 'ignore', timeout: 60_000 }).status === 0
}

/** The first way to run a Python module (`python -m name`) that answers --version, or null. */
function findModule(name, extraCommands = []) {
  for (const cmd of extraCommands) if (runs(cmd, ['--version'])) return [cmd]
  for (const py of PYTHONS) if (runs(py, ['-m', name, '--version'])) return [py, '-m', name]
  return null
}

const flake8 = findModule('flake8')
// Debian's black package installs a `black` command; pip installs the module too.
const black = findModule('black', ['black'])
const missing = [!flake8 && 'flake8', !black && 'black'].filter(Boolean)
if (missing.length) {
  const msg =
    `python-lint: ${missing.join(' and ')} not found; install ${missing.length > 1 ? 'them' : 'it'} ` +
    `(Debian/Ubuntu: sudo apt install ${[!flake8 && 'python3-flake8', !black && 'black'].filter(Boolean).join(' ')}; ` +
    `elsewhere: pip install ${missing.join(' ')})`
  if (process.env.CI) {
    console.error(msg)
    process.exit(1)
  }
  console.log(`${msg} — Python lint skipped`)
  process.exit(0)
}

function run([cmd, ...pre], args) {
  console.log(`python-lint: ${[cmd, ...pre, ...args].join(' ')}`)
  const r = spawnSync(cmd, [...pre, ...args], { stdio: 'inherit' })
  return r.status === 0
}

const lintOk = run(flake8, ['--config', 'training/.flake8', ...PATHS])
const formatOk = run(black, ['--config', 'training/pyproject.toml', '--check', ...PATHS])
if (!formatOk)
  console.log('python-lint: to format, run black --config training/pyproject.toml ' + PATHS.join(' '))
process.exit(lintOk && formatOk ? 0 : 1)
