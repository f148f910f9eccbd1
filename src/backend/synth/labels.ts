// Runs in the backend (plain Node): the TrackNet label file: `Frame,Visibility,X,Y`, one row per frame, X and Y in
// video pixels (pixel centres at integer coordinates, origin top-left) with three decimals, `0,0` when invisible.
import { createWriteStream, type WriteStream } from 'node:fs'

export const CSV_HEADER = 'Frame,Visibility,X,Y'
export const LABEL_DECIMALS = 3

export function csvRow(frame: number, visible: boolean, x: number, y: number): string {
  if (!visible) return `${frame},0,0,0`
  return `${frame},1,${x.toFixed(LABEL_DECIMALS)},${y.toFixed(LABEL_DECIMALS)}`
}

export interface LabelRow {
  frame: number
  visible: boolean
  x: number
  y: number
}

/** Parses a label file written by csvRow (used by tests and the contact sheet). */
export function parseLabels(text: string): LabelRow[] {
  const lines = text.trim().split('\n')
  if (lines[0] !== CSV_HEADER) throw new Error(`not a label file: header is "${lines[0]}"`)
  return lines.slice(1).map((line) => {
    const [f, v, x, y] = line.split(',')
    return { frame: Number(f), visible: v === '1', x: Number(x), y: Number(y) }
  })
}

/** Streams a label file in batches of rows, waiting when the disk falls behind. */
export class CsvWriter {
  private readonly stream: WriteStream
  private batch: string[] = [CSV_HEADER]
  private failed: Error | null = null

  constructor(file: string) {
    this.stream = createWriteStream(file)
    this.stream.on('error', (err) => {
      this.failed = err
    })
  }

  async row(line: string): Promise<void> {
    if (this.failed) throw this.failed
    this.batch.push(line)
    if (this.batch.length >= 2000) await this.flush()
  }

  private async flush(): Promise<void> {
    const text = this.batch.join('\n') + '\n'
    this.batch = []
    if (!this.stream.write(text)) await new Promise<void>((resolve) => this.stream.once('drain', resolve))
  }

  async close(): Promise<void> {
    if (this.batch.length) await this.flush()
    await new Promise<void>((resolve, reject) => {
      this.stream.end((err?: Error | null) => (err ? reject(err) : resolve()))
    })
    if (this.failed) throw this.failed
  }
}
