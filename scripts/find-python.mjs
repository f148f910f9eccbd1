// Runs in plain Node (scripts): finds a Python that has PyTorch — a setting's value, then SHUTTLE_PYTHON,
// then Debian's /usr/bin/python3, then python3 on the PATH — for the pytest suite and training.
import { spawnSync } from 'node:child_process'

export function findTorchPython(setting) {
  const candidates = [setting, process.env.SHUTTLE_PYTHON, '/usr/bin/python3', 'python3', 'python'].filter(
    Boolean
  )
  for (const bin of candidates) {
    const r = spawnSync(bin, ['-c', 'import torch, sys; print(torch.__version__)'], {
      encoding: 'utf8',
      timeout: 60_000
    })
    if (r.status === 0) return { python: bin, torch: r.stdout.trim() }
  }
  return null
}
