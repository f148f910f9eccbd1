// Runs in the backend (plain Node): keeps one ffmpeg per open video started and waiting (libraries loaded,
// blocked on its stdin), so a seek only has to tell it where to start. Taken by the next seek that needs a new
// decoder; a replacement is started once that seek has its first frame, so the two never compete for the CPU
// while the user waits.
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import { type ChildGroup, kill } from './child-processes'
import { type DecodeTarget, warmArgs, warmScript } from './decoder-args'

export class WarmDecoder {
  private child: ChildProcessWithoutNullStreams | null = null

  constructor(
    private readonly target: DecodeTarget,
    private readonly group: ChildGroup
  ) {}

  /** Starts a waiting process unless one is waiting already. */
  fill(): void {
    if (this.child && alive(this.child)) return
    this.child = this.group.spawn('ffmpeg', this.target.ffmpeg.ffmpegPath, warmArgs(this.target), true)
  }

  /** Hands over the waiting process, started at frame `start`; null when none is ready. */
  take(start: number): { child: ChildProcessWithoutNullStreams; ptsOffset: number } | null {
    const c = this.child
    this.child = null
    if (!c || !alive(c)) return null
    const s = warmScript(this.target, start)
    if (!s) {
      kill(c)
      return null
    }
    c.stdin.end(s.script)
    return { child: c, ptsOffset: s.ptsOffset }
  }

  dispose(): void {
    if (this.child) kill(this.child)
    this.child = null
  }
}

function alive(c: ChildProcessWithoutNullStreams): boolean {
  return c.exitCode === null && c.signalCode === null && c.stdin.writable
}
