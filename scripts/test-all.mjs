// Runs in plain Node (scripts): the README's test command — every quality gate in order: lint, format, Python
// lint (flake8, black), types, unit tests, the build, end-to-end tests in a real browser, the training
// package's tests. Runs all of them even after a failure, so one run shows everything that is wrong, then
// prints a summary. A failed gate's last lines are printed again just above the summary: CI logs are often
// read from the end only, and the gates after a failure would otherwise push the reason out of view.
import { spawn } from 'node:child_process'
import { missingParts } from './preflight.mjs'

const TAIL_LINES = 80

const steps = [
  ['lint', 'npm', ['run', '-s', 'lint']],
  ['format', 'npm', ['run', '-s', 'format:check']],
  ['python-lint', 'node', ['scripts/pylint.mjs']],
  ['typecheck', 'npm', ['run', '-s', 'typecheck']],
  ['unit', 'npm', ['run', '-s', 'test:unit']],
  ['build', 'npm', ['run', '-s', 'build']],
  ['e2e', 'npm', ['run', '-s', 'test:e2e']],
  ['python', 'npm', ['run', '-s', 'test:py']]
]

/** Runs a gate with its output passed through as it comes, keeping the last lines for the recap. */
function runGate(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['inherit', 'pipe', 'pipe'], env: process.env })
    let tail = ''
    const keep = (text, out) => {
      out.write(text)
      tail = (tail + text).split('\n').slice(-TAIL_LINES).join('\n')
    }
    // Decoded as UTF-8 by the streams, so a character split across two chunks stays whole in the recap.
    child.stdout.setEncoding('utf8').on('data', (t) => keep(t, process.stdout))
    child.stderr.setEncoding('utf8').on('data', (t) => keep(t, process.stderr))
    child.on('error', (err) => resolve({ ok: false, tail: `${tail}\n${err.message}` }))
    child.on('close', (code) => resolve({ ok: code === 0, tail }))
  })
}

const only = process.argv.slice(2)
// The gates that use ffmpeg (unit, e2e) or Chromium (e2e) would otherwise fail minutes in, deep in a test.
const missing = missingParts(['ffmpeg', 'chromium'])
if (missing.length && (!only.length || only.some((g) => g === 'unit' || g === 'e2e'))) {
  for (const line of missing) console.error(`npm test: ${line}`)
  console.log('gates: 0 passed, 1 failed')
  process.exit(1)
}
const results = []
for (const [name, cmd, args] of steps) {
  if (only.length && !only.includes(name)) continue
  if (name === 'e2e' && results.some((r) => r.name === 'build' && !r.ok)) {
    results.push({ name, ok: false, seconds: 0, note: 'not run: the build failed' })
    continue
  }
  console.log(`\n━━ ${name} ━━`)
  const t0 = Date.now()
  const { ok, tail } = await runGate(cmd, args)
  results.push({ name, ok, seconds: (Date.now() - t0) / 1000, tail })
}
for (const r of results.filter((x) => !x.ok && x.tail))
  console.log(`\n━━ ${r.name} failed: its last ${TAIL_LINES} lines again ━━\n${r.tail}`)
console.log('\n━━ summary ━━')
for (const r of results)
  console.log(
    `${r.ok ? 'ok  ' : 'FAIL'} ${r.name.padEnd(11)} ${r.seconds.toFixed(0).padStart(4)} s ${r.note ?? ''}`
  )
const passed = results.filter((r) => r.ok).length
const failed = results.length - passed
console.log(`gates: ${passed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)
