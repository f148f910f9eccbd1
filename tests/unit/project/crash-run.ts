// Runs in Node (shared by the sigkill-*.test.ts files): runs a scenario of crash-steps.ts in a child process and
// kills it with SIGKILL the moment it prints the line it is waited for (or lets something else kill it).
import { spawn } from 'node:child_process'
import path from 'node:path'
import { createInterface } from 'node:readline'

export interface CrashRun {
  /** How the child ended: the signal that killed it, or its exit code. */
  signal: NodeJS.Signals | null
  code: number | null
  lines: string[]
  stderr: string
}

/** Runs `scenario` and SIGKILLs it at the first line matching `killOn` (null: wait for it to end by itself). */
export async function crashAt(scenario: string, args: string[], killOn: RegExp | null): Promise<CrashRun> {
  const script = path.join(import.meta.dirname, 'crash-steps.ts')
  const child = spawn(process.execPath, ['--import', 'tsx', script, scenario, ...args], {
    cwd: path.resolve(import.meta.dirname, '../../..'),
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('exit', (code, signal) => resolve([code, signal]))
  )
  // A child that never reaches its step is stopped (SIGTERM, so the test sees it was not the planned kill).
  const guard = setTimeout(() => child.kill('SIGTERM'), 100_000)
  const lines: string[] = []
  for await (const line of createInterface({ input: child.stdout })) {
    lines.push(line)
    if (killOn?.test(line)) child.kill('SIGKILL')
  }
  const [code, signal] = await exited
  clearTimeout(guard)
  return { signal, code, lines, stderr }
}
