// Runs in plain Node (scripts): runs the training package's pytest suite with a Python that has PyTorch.
// Where none is found it says how to get one; under CI that is a failure, on a user's machine a skip.
import { spawnSync } from 'node:child_process'
import { findTorchPython } from './find-python.mjs'

const found = findTorchPython()
if (!found) {
  const msg =
    'pytest: no Python with PyTorch found (set SHUTTLE_PYTHON, or on Debian: apt install python3-torch python3-onnx python3-pytest)'
  if (process.env.CI) {
    console.error(msg)
    process.exit(1)
  }
  console.log(`${msg} — training tests skipped`)
  process.exit(0)
}
console.log(`pytest: using ${found.python} (torch ${found.torch})`)
const r = spawnSync(found.python, ['-m', 'pytest', 'training/tests', '-q', ...process.argv.slice(2)], {
  stdio: 'inherit'
})
process.exit(r.status === 5 ? 0 : (r.status ?? 1))
