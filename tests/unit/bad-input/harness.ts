// Runs in Node (Vitest): what every bad-input row checks besides its exit code and message — that the
// command did not crash (no stack trace, a documented exit code) and left nothing half-written behind.
import { existsSync, readdirSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { runCli, type CliBuild, type CliRun, type RunOptions } from './cli-build'

export interface Row {
  name: string
  args: string[]
  code: number
  /** A fragment of what the command says (stderr and stdout together). */
  says: RegExp
  /** Folders that must hold no result file afterwards when the command failed (and no temporary file ever). */
  outputs?: string[]
  run?: RunOptions
  /** Files a successful run must have written whole, with this many lines. */
  writes?: { file: string; lines: number }[]
  /** A one-line reason the row cannot run here; the row is then skipped with it. */
  skip?: string | null
}

export interface Outcome extends CliRun {
  /** A stack trace or an exit code outside the documented ones: the command fell over instead of answering. */
  crashed: boolean
  /** How long the command ran (for the log only: no assertion is timed). */
  ms: number
}

/** Every file under `dir`, relative, recursively (none when it does not exist). */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return []
  const out: string[] = []
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name)
      if (e.isDirectory()) walk(p)
      else out.push(path.relative(dir, p))
    }
  }
  walk(dir)
  return out.sort()
}

/** Files that are not whole results: temporary files of an atomic write, or empty files. */
export function partialFiles(dir: string): string[] {
  return filesUnder(dir).filter((f) => /\.tmp$/.test(f) || statSync(path.join(dir, f)).size === 0)
}

const STACK = /\n\s+at .+[(\s].*:\d+:\d+/

/** Runs every row, a few at a time (the rows are independent), and keeps each outcome by name. */
export async function runRows(
  build: CliBuild,
  rows: Row[],
  documented: readonly number[],
  env: Record<string, string>,
  parallel = 3
): Promise<Map<string, Outcome>> {
  const results = new Map<string, Outcome>()
  const queue = rows.filter((r) => !r.skip)
  const worker = async (): Promise<void> => {
    for (let r = queue.shift(); r; r = queue.shift()) {
      const t0 = Date.now()
      const out = await runCli(build, r.args, { timeoutMs: 60_000, ...r.run, env: { ...env, ...r.run?.env } })
      const crashed = STACK.test(out.stderr) || !documented.includes(out.code)
      results.set(r.name, { ...out, crashed, ms: Date.now() - t0 })
      if (process.env.BAD_INPUT_LOG) console.log(`${r.name}: exit ${out.code} in ${Date.now() - t0} ms`)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, os.cpus().length + 1)) }, worker))
  return results
}

/** A one-line reason read-only folders cannot be tested here, or how to run as a user they stop. */
export function readOnlyPlan(): { uid?: number; skip: string | null } {
  if (process.platform === 'win32') return { skip: 'folder permissions are ACLs on Windows, not chmod' }
  const uid = process.getuid?.()
  if (uid !== 0) return { skip: null }
  // Root writes through chmod 0555; run the command as "nobody", whom the mode does stop.
  return { uid: 65534, skip: null }
}

/** A one-line reason the full-disk rows cannot run here (they need a POSIX shell's `ulimit -f`). */
export function fullDiskSkip(): string | null {
  return process.platform === 'win32' || !existsSync('/bin/sh') ? 'no POSIX shell for ulimit -f' : null
}

/** How one case ended: as documented (clear), answered but not as documented (wrong), or fell over (crash). */
export type Verdict = 'clear' | 'wrong' | 'crash'

/** The verdict on a command-line row: its exit code and words, and no half-written file where it wrote. */
export function cliVerdict(row: Row, o: Outcome): Verdict {
  if (o.crashed) return 'crash'
  const whole = (row.outputs ?? []).every(
    (d) => partialFiles(d).length === 0 && (row.code === 0 || filesUnder(d).length === 0)
  )
  return o.code === row.code && row.says.test(`${o.stderr}${o.stdout}`) && whole ? 'clear' : 'wrong'
}

/** The suite's one-line count per entry point, for the log: cases tried, clear, wrong, crashes. */
export function summaryLine(entry: string, verdicts: Iterable<Verdict>): string {
  const all = [...verdicts]
  const n = (v: Verdict): number => all.filter((x) => x === v).length
  return `bad input through the ${entry}: ${all.length} cases tried, ${n('clear')} clear, ${n('wrong')} wrong, ${n('crash')} crashes`
}
