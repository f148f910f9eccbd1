// Runs in the backend (plain Node): a clip's append-only edit journal, one JSON line per labels.edit call:
// {"seq":…,"at":…,"edits":[…],"sum":…}, where sum is a hash of the line without it. An append resolves only
// after fsync, so an acknowledged edit survives SIGKILL or a power cut. On open, a last line cut short by a
// crash (a torn write) is dropped with a warning and cut off the file, so the next append starts clean; a
// damaged line in the middle stops the replay there and the whole file is kept aside for a person to look at.
import { createHash } from 'node:crypto'
import { copyFile, open, readFile, type FileHandle } from 'node:fs/promises'
import path from 'node:path'
import type { LabelEdit } from '../../shared/project/schemas'
import { disk } from './disk'

export interface JournalEntry {
  seq: number
  /** ISO time the edit arrived. */
  at: string
  edits: LabelEdit[]
}

export interface JournalRead {
  entries: JournalEntry[]
  warnings: string[]
}

const checksum = (body: string): string => createHash('sha256').update(body).digest('hex').slice(0, 16)

/** The line for an entry; keys in a fixed order so the reader can rebuild the exact text that was hashed. */
export function journalLine(e: JournalEntry): string {
  const body = JSON.stringify({ seq: e.seq, at: e.at, edits: e.edits })
  return `${body.slice(0, -1)},"sum":"${checksum(body)}"}\n`
}

function parseLine(text: string): JournalEntry | null {
  try {
    const v = JSON.parse(text) as Partial<JournalEntry> & { sum?: unknown }
    if (typeof v.seq !== 'number' || typeof v.at !== 'string' || !Array.isArray(v.edits)) return null
    const body = JSON.stringify({ seq: v.seq, at: v.at, edits: v.edits })
    return checksum(body) === v.sum ? { seq: v.seq, at: v.at, edits: v.edits } : null
  } catch {
    return null
  }
}

/** Reads the journal, repairing its tail on disk when a crash cut the last line short. */
export async function readJournal(file: string): Promise<JournalRead> {
  let bytes: Buffer
  try {
    bytes = await readFile(file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], warnings: [] }
    throw err
  }
  const entries: JournalEntry[] = []
  const warnings: string[] = []
  let start = 0
  let good = 0
  while (start < bytes.length) {
    const nl = bytes.indexOf(10, start)
    const end = nl < 0 ? bytes.length : nl
    const text = bytes.subarray(start, end).toString('utf8')
    const entry = text.trim() === '' ? null : parseLine(text)
    const last = entries[entries.length - 1]
    if (text.trim() === '') {
      if (nl < 0) break
    } else if (!entry || (last && entry.seq <= last.seq) || nl < 0) {
      const tail =
        nl < 0 ||
        bytes
          .subarray(end + 1)
          .toString('utf8')
          .trim() === ''
      if (tail) {
        warnings.push(
          `The last edit in ${path.basename(file)} was cut short (the studio stopped while writing it); it was never acknowledged and is ignored.`
        )
      } else {
        const aside = `${file}.damaged-${Date.now()}`
        await copyFile(file, aside)
        warnings.push(
          `${path.basename(file)} is damaged after edit ${last?.seq ?? 0}; edits up to there are recovered. The whole journal was kept as ${path.basename(aside)}.`
        )
      }
      break
    } else {
      entries.push(entry)
    }
    good = end + 1
    start = end + 1
  }
  if (good < bytes.length) {
    const h = await open(file, 'r+')
    try {
      await h.truncate(Math.min(good, bytes.length))
      await h.sync()
    } finally {
      await h.close()
    }
  }
  return { entries, warnings }
}

export class Journal {
  private handle: FileHandle | null = null
  /** Lines not yet covered by a saved state, so compaction can rewrite the file without reading it. */
  private lines: { seq: number; text: string }[] = []
  /** Appends and compactions run one at a time, in call order. */
  private queue: Promise<unknown> = Promise.resolve()

  constructor(readonly file: string) {}

  /** Opens for appending; `pending` are the entries already in the file that the saved state lacks. */
  async open(pending: readonly JournalEntry[]): Promise<void> {
    this.handle = await open(this.file, 'a')
    // A new file's name must survive a power cut too, or the first fsynced edits would be in a nameless file.
    await disk.fsyncDir(path.dirname(this.file))
    await disk.fsyncDir(path.dirname(path.dirname(this.file)))
    this.lines = pending.map((e) => ({ seq: e.seq, text: journalLine(e) }))
  }

  /** Resolves once the entry is on disk (fsynced); rejects, with nothing half-written kept, if it cannot be. */
  append(entry: JournalEntry): Promise<void> {
    return this.enqueue(async () => {
      if (!this.handle) this.handle = await open(this.file, 'a')
      const text = journalLine(entry)
      const size = (await this.handle.stat()).size
      try {
        await disk.appendDurable(this.handle, text)
      } catch (err) {
        // A partial line would hide every later edit behind a damaged one: cut it off again.
        await this.handle.truncate(size).catch(() => undefined)
        throw err
      }
      this.lines.push({ seq: entry.seq, text })
    })
  }

  /** Drops entries up to `savedSeq` (they are in the saved state now), rewriting the file atomically. */
  compact(savedSeq: number): Promise<void> {
    return this.enqueue(async () => {
      const keep = this.lines.filter((l) => l.seq > savedSeq)
      if (keep.length === this.lines.length) return
      await this.handle?.close()
      this.handle = null
      await disk.writeAtomic(this.file, keep.map((l) => l.text).join(''))
      this.lines = keep
      this.handle = await open(this.file, 'a')
    })
  }

  close(): Promise<void> {
    return this.enqueue(async () => {
      await this.handle?.close()
      this.handle = null
    })
  }

  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    const run = this.queue.then(job, job)
    this.queue = run.catch(() => undefined)
    return run
  }
}
