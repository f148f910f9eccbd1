// Runs in Node (Playwright): makes the generated rally a browser-mode test works on, in a fresh temporary
// folder, with the built CLI exactly as a user would (`shuttle-studio synth`): one clip at 30 fps.
import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const root = path.resolve(__dirname, '..', '..', '..')

export interface SynthRally {
  seconds: number
  /** Width x height, as `synth --size` takes it, e.g. '640x360'. */
  size: string
  seed: number
}

/**
 * Creates a temporary folder named after `prefix` and a one-clip generated project at `name` inside it.
 * Returns both: the caller removes `dir` when done.
 */
export function synthProject(
  prefix: string,
  name: string,
  rally: SynthRally
): { dir: string; projectDir: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix))
  const projectDir = path.join(dir, name)
  const args = ['synth', '--out', projectDir, '--clips', '1', '--seconds', String(rally.seconds)]
  args.push('--size', rally.size, '--fps', '30', '--seed', String(rally.seed))
  execFileSync(process.execPath, [path.join(root, 'bin', 'shuttle-studio.cjs'), ...args], { stdio: 'ignore' })
  return { dir, projectDir }
}
