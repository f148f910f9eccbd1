// Runs in the backend (plain Node): finds a Python that has PyTorch, in the order a user controls it — the
// setting, then SHUTTLE_PYTHON, then python3 (and Debian's /usr/bin/python3, whose torch is not always on
// the python3 first on the PATH) — and says what to do when there is none.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)

export interface TorchPython {
  path: string
  torch: string
}

export const NO_PYTHON_HINT =
  'Training needs Python 3 with PyTorch. Install it (Debian/Ubuntu: "sudo apt install python3-torch python3-onnx"; ' +
  'elsewhere: "pip install torch onnx"), then set SHUTTLE_PYTHON to that python, or choose it in Settings.'

export async function findTorchPython(setting?: string | null): Promise<TorchPython | { problem: string }> {
  const candidates = [setting, process.env.SHUTTLE_PYTHON, 'python3', '/usr/bin/python3', 'python'].filter(
    (c): c is string => !!c
  )
  const tried: string[] = []
  for (const path of [...new Set(candidates)]) {
    const found = await torchPythonAt(path)
    if (found) return found
    tried.push(path)
  }
  return {
    problem: `No Python with PyTorch and onnx was found (tried ${tried.join(', ')}). ${NO_PYTHON_HINT}`
  }
}

/** This Python when it imports torch and onnx, else null (missing, not a Python, or without them). */
export async function torchPythonAt(path: string): Promise<TorchPython | null> {
  try {
    const { stdout } = await run(path, ['-c', 'import torch, onnx; print(torch.__version__)'], {
      timeout: 60_000,
      windowsHide: true
    })
    return { path, torch: stdout.trim() }
  } catch {
    return null
  }
}
