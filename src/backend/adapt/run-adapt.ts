// Runs in the backend (plain Node): runs `python -m shuttle_training.adapt` on a manifest and streams its JSON
// lines as checked events. A stop (the signal) sends SIGTERM, on which the Python side exports the best model so
// far and exits 0 with `exported` and `stopped: true`; a child still running after a grace period gets SIGKILL.
// The child never outlives this process: it is killed when this process exits, it stops by itself when this
// process is killed (its stdin closes), and (outside Windows) it runs in its own process group, so a Ctrl-C in
// the terminal reaches it once, as our SIGTERM, not twice.
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { isAdaptEvent, parseAdaptLine, type AdaptEvent } from './adapt-events'

export interface RunAdaptOptions {
  python: string
  /** Folder holding the `shuttle_training` package (defaultTrainingPackageDir()). */
  packageDir: string
  manifest: string
  /** The base model's PyTorch checkpoint (.pt). */
  base: string
  minutes: number
  /** The adapted model: OUT.onnx (and OUT.pt beside it). */
  out: string
  /** Checkpoints and the decoded-frame cache. */
  runDir: string
  resume?: boolean
  threads?: number
  seed?: number
  /** A TrackNet-layout folder (e.g. synthetic rallies) mixed into the batches against forgetting. */
  replay?: string
  /** The share of samples drawn from `replay` (0..1; the training package's default when absent). */
  replayP?: number
  /** More options for the Python side as they are (the benchmark's recipe experiments). */
  extraArgs?: readonly string[]
  signal?: AbortSignal
  onEvent: (e: AdaptEvent) => void
  /** Lines of stdout that are not events (a library's warnings). */
  onText?: (line: string) => void
  /** How long a stopped run may take to export before it is killed (default 120 s). */
  graceMs?: number
}

export interface RunAdaptResult {
  /** The exit code; 128 + the signal's number when a signal ended it. */
  code: number
  /** The last lines of stderr, for a message when it failed. */
  stderrTail: string
}

export const DEFAULT_GRACE_MS = 120_000

const SIGNAL_NUMBERS: Record<string, number> = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 }

export function adaptArgs(o: RunAdaptOptions): string[] {
  const args = ['-m', 'shuttle_training.adapt', '--manifest', o.manifest, '--base', o.base]
  args.push('--minutes', String(o.minutes), '--out', o.out, '--run-dir', o.runDir)
  if (o.resume) args.push('--resume')
  if (o.threads !== undefined) args.push('--threads', String(o.threads))
  if (o.seed !== undefined) args.push('--seed', String(o.seed))
  if (o.replay !== undefined) args.push('--replay', o.replay)
  if (o.replayP !== undefined) args.push('--replay-p', String(o.replayP))
  if (o.extraArgs) args.push(...o.extraArgs)
  return args
}

export function runAdapt(o: RunAdaptOptions): Promise<RunAdaptResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(o.python, adaptArgs(o), {
      cwd: o.packageDir,
      // stdin is a pipe never written to: when this process ends in any way, a SIGKILL included, the child
      // reads end-of-file and stops as on a Stop (shuttle_training/parent_watch.py).
      env: { ...process.env, PYTHONPATH: o.packageDir, PYTHONUNBUFFERED: '1', SHUTTLE_EXIT_WITH_PARENT: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
      windowsHide: true
    })
    child.stdin.on('error', () => undefined)
    let killTimer: NodeJS.Timeout | null = null
    const running = (): boolean => child.exitCode === null && child.signalCode === null
    const stop = (): void => {
      if (!running() || killTimer) return
      child.kill('SIGTERM')
      killTimer = setTimeout(() => {
        if (running()) child.kill('SIGKILL')
      }, o.graceMs ?? DEFAULT_GRACE_MS)
    }
    // Synchronous on purpose: 'exit' handlers cannot wait, and a training child left behind holds the CPU.
    const killOnExit = (): void => {
      if (running()) child.kill('SIGKILL')
    }
    process.on('exit', killOnExit)
    if (o.signal?.aborted) stop()
    else o.signal?.addEventListener('abort', stop, { once: true })

    let stderrTail = ''
    createInterface({ input: child.stdout }).on('line', (line) => {
      const e = parseAdaptLine(line)
      if (isAdaptEvent(e)) o.onEvent(e)
      else if (e.text) o.onText?.(e.text)
    })
    child.stderr.on('data', (d: Buffer) => (stderrTail = (stderrTail + d.toString()).slice(-4000)))
    const cleanUp = (): void => {
      child.stdin.destroy()
      if (killTimer) clearTimeout(killTimer)
      process.off('exit', killOnExit)
      o.signal?.removeEventListener('abort', stop)
    }
    child.once('error', (err) => {
      cleanUp()
      reject(new Error(`cannot start ${o.python}: ${err.message}`))
    })
    // 'close', not 'exit': every line of stdout has been read by then.
    child.once('close', (code, sig) => {
      cleanUp()
      const tail = stderrTail.trim().split('\n').slice(-5).join('\n')
      resolve({ code: code ?? 128 + (SIGNAL_NUMBERS[sig ?? ''] ?? 1), stderrTail: tail })
    })
  })
}
