// Runs in plain Node (scripts): the README's test command — every quality gate in order: lint, format,
// types, unit tests, the build, end-to-end tests in a real browser, the training package's tests. Runs all
// of them even after a failure, so one run shows everything that is wrong, then prints a summary line.
import { spawnSync } from 'node:child_process'

const steps = [
  ['lint', 'npm', ['run', '-s', 'lint']],
  ['format', 'npm', ['run', '-s', 'format:check']],
  ['typecheck', 'npm', ['run', '-s', 'typecheck']],
  ['unit', 'npm', ['run', '-s', 'test:unit']],
  ['build', 'npm', ['run', '-s', 'build']],
  ['e2e', 'npm', ['run', '-s', 'test:e2e']],
  ['python', 'npm', ['run', '-s', 'test:py']]
]
const only = process.argv.slice(2)
const results = []
for (const [name, cmd, args] of steps) {
  if (only.length && !only.includes(name)) continue
  if (name === 'e2e' && results.some((r) => r.name === 'build' && !r.ok)) {
    results.push({ name, ok: false, seconds: 0, note: 'not run: the build failed' })
    continue
  }
  console.log(`\n━━ ${name} ━━`)
  const t0 = Date.now()
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env })
  results.push({ name, ok: r.status === 0, seconds: (Date.now() - t0) / 1000 })
}
console.log('\n━━ summary ━━')
for (const r of results)
  console.log(
    `${r.ok ? 'ok  ' : 'FAIL'} ${r.name.padEnd(10)} ${r.seconds.toFixed(0).padStart(4)} s ${r.note ?? ''}`
  )
const passed = results.filter((r) => r.ok).length
const failed = results.length - passed
console.log(`gates: ${passed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)
