// Runs in the backend (plain Node): starts ffmpeg/ffprobe children, counts them (tests check that a cached index
// needs no ffprobe), and kills whatever is still running when its owner closes, so nothing outlives a video.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'

/** How many children of each kind were started since the process began; tests read it, nothing else should. */
export const spawnCounts = { ffprobe: 0, ffmpeg: 0 }

export type ChildKind = keyof typeof spawnCounts

/** How many children of each kind are running now, in every group (tests check the bound per video). */
export const runningCounts = { ffprobe: 0, ffmpeg: 0 }

/** A set of children that dies together (one per open video, one per engine). */
export class ChildGroup {
  private readonly children = new Set<ChildProcessWithoutNullStreams>()

  /** keepStdin: the caller writes to stdin (a warm decoder's input script); otherwise it is closed at once. */
  spawn(
    kind: ChildKind,
    bin: string,
    args: readonly string[],
    keepStdin = false
  ): ChildProcessWithoutNullStreams {
    spawnCounts[kind]++
    const child = spawn(bin, args, { windowsHide: true, stdio: ['pipe', 'pipe', 'pipe'] })
    this.children.add(child)
    runningCounts[kind]++
    let gone = false
    const ended = (): void => {
      this.children.delete(child)
      if (!gone) runningCounts[kind]--
      gone = true
    }
    child.once('exit', ended)
    // A spawn failure (ENOENT) is reported through 'error' and also ends the child; the owner listens too.
    child.once('error', ended)
    // A closed stdin stops ffmpeg from waiting for "q" on a terminal; a write to a child that died is harmless.
    child.stdin.on('error', () => undefined)
    if (!keepStdin) child.stdin.end()
    return child
  }

  get size(): number {
    return this.children.size
  }

  killAll(): void {
    for (const c of this.children) kill(c)
    this.children.clear()
  }
}

/** SIGKILL: ffmpeg flushes nothing we need, and a paused pipe would make a polite SIGTERM wait forever. */
export function kill(child: ChildProcessWithoutNullStreams): void {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  child.stdout.destroy()
  child.stderr.destroy()
}

export interface RunResult {
  code: number | null
  stdout: string
  stderr: string
  timedOut: boolean
}

/** Runs a short command to the end and captures its output (ffprobe JSON), killed after timeoutMs. */
export function runToEnd(
  group: ChildGroup,
  kind: ChildKind,
  bin: string,
  args: readonly string[],
  timeoutMs: number
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = group.spawn(kind, bin, args)
    const out: Buffer[] = []
    const err: Buffer[] = []
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      kill(child)
    }, timeoutMs)
    child.stdout.on('data', (b: Buffer) => out.push(b))
    child.stderr.on('data', (b: Buffer) => err.push(b))
    child.once('error', (e) => {
      clearTimeout(timer)
      reject(e)
    })
    child.once('close', (code) => {
      clearTimeout(timer)
      resolve({
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        timedOut
      })
    })
  })
}
