// Runs in the backend (plain Node): the projects opened lately, newest first, kept in the studio's cache folder
// (recent-projects.json) so the Library lists them and the last one reopens after a restart. The file is small
// and bounded, written whole or not at all, and checked when read: a damaged one is kept aside and the list
// starts empty, so a bad file never stops the studio. A project whose folder has gone is listed as missing
// until it is forgotten or its folder is back.
import { mkdir, rename, stat } from 'node:fs/promises'
import path from 'node:path'
import { z } from 'zod'
import type { Result } from '../../shared/api/contract'
import { writeFileAtomic } from '../fs/atomic-write'
import { readTextIfExists } from '../fs/read-if-exists'
import { damagedCopyPath } from '../fs/damaged-copy'

export const RECENT_PROJECTS_FILE = 'recent-projects.json'
/** How many projects the list keeps: enough to come back to, short enough to read at a glance. */
export const RECENT_PROJECTS_LIMIT = 10

export type RecentProject = Result<'recent.list'>['projects'][number]

const StoredEntry = z.object({
  dir: z.string().min(1),
  name: z.string(),
  openedAt: z.string().datetime()
})
const StoredFile = z.object({ version: z.literal(1), projects: z.array(StoredEntry) })
type Stored = z.infer<typeof StoredEntry>

/** Two spellings of one folder are one project (Windows and macOS compare names without case). */
function sameDir(a: string, b: string): boolean {
  const fold = process.platform === 'win32' || process.platform === 'darwin'
  return fold ? a.toLowerCase() === b.toLowerCase() : a === b
}

export class RecentProjects {
  /** Reads and writes one after another, so two opens at once never lose one of them. */
  private queue: Promise<unknown> = Promise.resolve()

  constructor(
    readonly file: string,
    private readonly limit = RECENT_PROJECTS_LIMIT,
    /** Told when a damaged file was kept aside (the list goes on empty). */
    private readonly warn: (message: string) => void = (m) => console.warn(m)
  ) {}

  /** The list, newest first; `missing` where the folder is not there now. */
  list(): Promise<RecentProject[]> {
    return this.serial(async () => {
      const entries = await this.read()
      return Promise.all(entries.map(async (e) => ({ ...e, missing: !(await isFolder(e.dir)) })))
    })
  }

  /** Puts a project first (once, however it was spelled before), dropping the oldest beyond the limit. */
  remember(dir: string, name: string, now: Date = new Date()): Promise<void> {
    const abs = path.resolve(dir)
    return this.serial(async () => {
      const rest = (await this.read()).filter((e) => !sameDir(e.dir, abs))
      await this.write([{ dir: abs, name, openedAt: now.toISOString() }, ...rest])
    })
  }

  /** Takes a project off the list (its folder is not touched). */
  forget(dir: string): Promise<void> {
    const abs = path.resolve(dir)
    return this.serial(async () => {
      const entries = await this.read()
      const kept = entries.filter((e) => !sameDir(e.dir, abs))
      if (kept.length !== entries.length) await this.write(kept)
    })
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn)
    this.queue = run.catch(() => undefined)
    return run
  }

  private async read(): Promise<Stored[]> {
    const text = await readTextIfExists(this.file)
    if (text === null) return []
    let parsed: z.infer<typeof StoredFile>
    try {
      parsed = StoredFile.parse(JSON.parse(text))
    } catch (err) {
      await this.setAside(err)
      return []
    }
    return parsed.projects.slice(0, this.limit)
  }

  private async write(entries: Stored[]): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true })
    const body = { version: 1, projects: entries.slice(0, this.limit) }
    await writeFileAtomic(this.file, JSON.stringify(body, null, 1) + '\n')
  }

  private async setAside(err: unknown): Promise<void> {
    const aside = damagedCopyPath(this.file)
    await rename(this.file, aside).catch(() => undefined)
    const why = err instanceof z.ZodError ? 'not a list of projects' : (err as Error).message
    this.warn(
      `${this.file} could not be read (${why}); kept as ${path.basename(aside)}, the list starts empty.`
    )
  }
}

async function isFolder(dir: string): Promise<boolean> {
  return stat(dir).then(
    (s) => s.isDirectory(),
    () => false
  )
}
