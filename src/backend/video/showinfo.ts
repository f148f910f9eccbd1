// Runs in the backend (plain Node): reads the timestamps ffmpeg's showinfo filter prints on stderr, one per
// output frame, so every decoded picture is labelled with its real pts (and so its frame number) rather than
// trusted to be "the next one". Integer pts and the filter's time base are used: pts_time is printed with 6
// significant digits only, too coarse after a few minutes at 60 fps.
export class ShowinfoParser {
  private rest = ''
  private tb = 0
  /** Recent stderr lines that are not showinfo output, for error messages. */
  readonly tail: string[] = []

  /** Feeds stderr text; returns the pts (seconds, or NaN when the frame had none) of frames it announced. */
  push(text: string): number[] {
    const all = this.rest + text
    const lines = all.split('\n')
    this.rest = lines.pop() ?? ''
    const out: number[] = []
    for (const line of lines) {
      if (line.includes('showinfo')) {
        const tb = /config in time_base: (\d+)\/(\d+)/.exec(line)
        if (tb) {
          this.tb = Number(tb[1]) / Number(tb[2])
          continue
        }
        const m = /\bn:\s*\d+\s+pts:\s*(\S+)/.exec(line)
        if (m) out.push(this.tb > 0 && /^-?\d+$/.test(m[1]!) ? Number(m[1]) * this.tb : NaN)
        continue
      }
      const t = line.trim()
      if (t) {
        this.tail.push(t)
        if (this.tail.length > 8) this.tail.shift()
      }
    }
    return out
  }
}
