// Runs in the backend (plain Node): the journal of a tracking run in progress, so a run stopped by a crash,
// a quit or a cancel continues from its last finished chunk. One header line (what is being tracked), then per
// chunk its rows and a "#done <windows>" line, appended and fsynced. Reading keeps what precedes the last
// "#done" line: a chunk torn by a crash is simply computed again. A row's last field is the frame's candidates
// (shared/heatmap/candidates-csv.ts).
import { open, readFile, rm } from 'node:fs/promises'
import { formatCandidates, parseCandidates } from '../../shared/heatmap'
import type { RawDetection } from './heatmap-merge'

export interface PartialHeader {
  v: 1
  video: string
  model: string
  frames: number
}

export interface PartialState {
  detections: RawDetection[]
  windowsDone: number
}

function row(d: RawDetection): string {
  return `${d.frame},${d.visible ? 1 : 0},${d.x},${d.y},${d.confidence},${formatCandidates(d.candidates)}`
}

/** What an earlier run of the same video and model finished, or null when there is nothing usable. */
export async function readPartial(file: string, header: PartialHeader): Promise<PartialState | null> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch {
    return null
  }
  const lines = text.split('\n')
  try {
    if (JSON.stringify(JSON.parse(lines[0] ?? '')) !== JSON.stringify(header)) return null
  } catch {
    return null
  }
  const detections: RawDetection[] = []
  let kept = 0
  let windowsDone = 0
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string
    if (line.startsWith('#done ')) {
      const w = Number(line.slice(6))
      if (!Number.isInteger(w) || w < windowsDone) break
      windowsDone = w
      kept = detections.length
      continue
    }
    const fields = line.split(',')
    const c = fields.slice(0, 5).map(Number)
    const candidates = parseCandidates(fields[5] ?? '')
    if (fields.length !== 6 || !candidates || c.some((v) => !Number.isFinite(v))) break
    const [frame, vis, x, y, confidence] = c as [number, number, number, number, number]
    if (frame !== detections.length) break // rows are consecutive from frame 0; anything else is damage
    detections.push({ frame, visible: vis === 1, x, y, confidence, candidates })
  }
  detections.length = kept
  return { detections, windowsDone }
}

/** An append-only journal; every append is on disk before it resolves. */
export class PartialWriter {
  private constructor(private readonly fh: Awaited<ReturnType<typeof open>>) {}

  /** Starts a fresh journal, or continues one whose state was read with readPartial. */
  static async open(
    file: string,
    header: PartialHeader,
    resume: PartialState | null
  ): Promise<PartialWriter> {
    if (!resume) {
      const fh = await open(file, 'w')
      await fh.writeFile(JSON.stringify(header) + '\n')
      await fh.sync()
      return new PartialWriter(fh)
    }
    // Rewrite what was kept, dropping a torn tail, so appends continue from a clean end.
    const fh = await open(file, 'w')
    const body = resume.detections.map(row).join('\n')
    await fh.writeFile(`${JSON.stringify(header)}\n${body ? body + '\n' : ''}#done ${resume.windowsDone}\n`)
    await fh.sync()
    return new PartialWriter(fh)
  }

  async append(detections: readonly RawDetection[], windowsDone: number): Promise<void> {
    const body = detections.map(row).join('\n')
    await this.fh.appendFile(`${body ? body + '\n' : ''}#done ${windowsDone}\n`)
    await this.fh.sync()
  }

  async close(): Promise<void> {
    await this.fh.close()
  }
}

export async function removePartial(file: string): Promise<void> {
  await rm(file, { force: true })
}
