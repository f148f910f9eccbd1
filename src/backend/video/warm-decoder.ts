// Runs in the backend (plain Node): keeps ffmpeg processes per open video started and waiting (libraries loaded,
// blocked on their stdin), so a seek only has to tell one where to start. Taken by the next seek that needs a new
// decoder; a replacement is started once that seek has its first frame, so the two never compete for the CPU
// while the user waits. Two wait, the oldest taken first: starting ffmpeg takes longer than a user takes between
// two clicks on the timeline (a replacement was 260 ms old when the next seek took it, mid-start, in the
// bench:video pattern), so the one taken has had a whole seek's time more to finish starting.
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import { type ChildGroup, kill } from './child-processes'
import { type DecodeTarget, warmArgs, warmScript } from './decoder-args'

/** Processes kept waiting per open video. */
export const WARM_SPARES = 2

export class WarmDecoder {
  /** Oldest first. */
  private children: ChildProcessWithoutNullStreams[] = []

  constructor(
    private readonly target: DecodeTarget,
    private readonly group: ChildGroup
  ) {}

  /** Starts waiting processes until WARM_SPARES are (a dead one is replaced). */
  fill(): void {
    const waiting = this.children.filter(alive)
    for (const c of this.children) if (!waiting.includes(c)) kill(c)
    this.children = waiting
    while (this.children.length < WARM_SPARES) {
      this.children.push(
        this.group.spawn('ffmpeg', this.target.ffmpeg.ffmpegPath, warmArgs(this.target), true)
      )
    }
  }

  /** Hands over the oldest waiting process, started at frame `start`; null when none is ready. */
  take(start: number): { child: ChildProcessWithoutNullStreams; ptsOffset: number } | null {
    let c: ChildProcessWithoutNullStreams | undefined
    while ((c = this.children.shift()) && !alive(c)) kill(c)
    if (!c) return null
    const s = warmScript(this.target, start)
    if (!s) {
      // The path cannot be written into a script: no waiting process will ever be of use for this video.
      kill(c)
      return null
    }
    c.stdin.end(s.script)
    return { child: c, ptsOffset: s.ptsOffset }
  }

  dispose(): void {
    for (const c of this.children) kill(c)
    this.children = []
  }
}

function alive(c: ChildProcessWithoutNullStreams): boolean {
  return c.exitCode === null && c.signalCode === null && c.stdin.writable
}
