// Runs in the backend (plain Node): a clip's append-only edit journal, one JSON line per labels.edit call:
// {"seq":…,"at":…,"edits":[…],"sum":…}, where sum is a hash of the line without it. An append resolves only
// after fsync, so an acknowledged edit survives SIGKILL or a power cut. On open, a last line cut short by a
// crash (a torn write: no newline yet) is dropped with a warning and cut off the file, so the next append
// starts clean. A whole line that fails its checksum (or comes out of order) is damaged, not torn: the file as
// it was is kept aside as journal.jsonl.damaged-<time> for a person to look at, the line is skipped, and the
// replay goes on with the edits after it (each edit sets values, so they stand on their own).
import { createHash } from 'node:crypto'
import { open, readFile, type FileHandle } from 'node:fs/promises'
import path from 'node:path'
import type { LabelEdit } from '../../shared/project/schemas'
import { disk } from './disk'
import { damagedCopyPath } from '../fs/damaged-copy'

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

/** Reads the journal, repairing it on disk: a torn last line is cut off, damaged lines are kept aside and skipped. */
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
  const good: string[] = []
  const damaged: { line: number; after: number }[] = []
  let torn = false
  let start = 0
  for (let line = 1; start < bytes.length; line++) {
    const nl = bytes.indexOf(10, start)
    const end = nl < 0 ? bytes.length : nl
    const text = bytes.subarray(start, end).toString('utf8')
    start = end + 1
    if (text.trim() === '') continue
    if (nl < 0) {
      torn = true // an append is one write ending in a newline: without it, the write never finished
      break
    }
    const entry = parseLine(text)
    const last = entries[entries.length - 1]
    if (!entry || (last && entry.seq <= last.seq)) {
      damaged.push({ line, after: last?.seq ?? 0 })
      continue
    }
    entries.push(entry)
    good.push(`${text}\n`)
  }
  const name = path.basename(file)
  if (damaged.length) {
    // The bytes as they were, before anything is dropped: the damaged lines may still be readable by a person.
    const aside = damagedCopyPath(file)
    await disk.writeAtomic(aside, bytes)
    const where = damaged.map((d) => `line ${d.line} (after edit ${d.after})`).join(', ')
    warnings.push(
      `${name} is damaged at ${where}: ${damaged.length === 1 ? 'that line was' : 'those lines were'} skipped and every other edit was recovered. The journal as it was is kept as ${path.basename(aside)}.`
    )
  }
  if (torn) {
    warnings.push(
      `The last edit in ${name} was cut short (the studio stopped while writing it); it was never acknowledged and is ignored.`
    )
  }
  if (damaged.length) await disk.writeAtomic(file, good.join(''))
  else if (torn) await truncateTo(file, bytes.lastIndexOf(10) + 1)
  return { entries, warnings }
}

/** Cuts a torn last line off the file in place (the lines before it stay exactly as they are on disk). */
async function truncateTo(file: string, size: number): Promise<void> {
  const h = await open(file, 'r+')
  try {
    await h.truncate(size)
    await h.sync()
  } finally {
    await h.close()
  }
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
