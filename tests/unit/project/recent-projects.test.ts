// Runs in Node (Vitest): the recent-projects list on real files — newest first, one entry per folder however it
// was spelled, bounded, written whole, a damaged file kept aside (the list starts empty), a vanished folder
// listed as missing, and two opens at once both remembered.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { RecentProjects, RECENT_PROJECTS_FILE } from '../../../src/backend/project/recent-projects'
import { tempDir } from './helpers'

let tmp: { dir: string; done(): Promise<void> }
let file: string
let warnings: string[]
const recent = (limit?: number): RecentProjects => new RecentProjects(file, limit, (m) => warnings.push(m))

/** A real project folder to remember. */
async function folder(name: string): Promise<string> {
  const dir = path.join(tmp.dir, 'projects', name)
  await mkdir(dir, { recursive: true })
  return dir
}

const at = (minute: number): Date => new Date(Date.UTC(2026, 0, 1, 12, minute))

beforeEach(async () => {
  tmp = await tempDir('studio-recent-')
  // The cache folder does not exist yet: the first remember makes it.
  file = path.join(tmp.dir, 'cache', RECENT_PROJECTS_FILE)
  warnings = []
})
afterEach(() => tmp.done())

describe('recent projects', () => {
  it('is empty before anything was opened, and writes nothing to say so', async () => {
    expect(await recent().list()).toEqual([])
    await expect(readdir(tmp.dir)).resolves.toEqual([])
  })

  it('lists the last opened first; reopening one moves it up instead of repeating it', async () => {
    const [a, b, c] = [await folder('a'), await folder('b'), await folder('c')]
    const list = recent()
    await list.remember(a, 'A', at(1))
    await list.remember(b, 'B', at(2))
    await list.remember(c, 'C', at(3))
    await list.remember(path.join(a, '..', 'a') + path.sep, 'A renamed', at(4))
    const got = await recent().list()
    expect(got.map((r) => [r.dir, r.name])).toEqual([
      [a, 'A renamed'],
      [c, 'C'],
      [b, 'B']
    ])
    expect(got[0]).toEqual({ dir: a, name: 'A renamed', openedAt: at(4).toISOString(), missing: false })
  })

  it('keeps only the newest entries beyond its bound', async () => {
    const list = recent(3)
    for (let i = 0; i < 5; i++) await list.remember(await folder(`p${i}`), `P${i}`, at(i))
    expect((await list.list()).map((r) => r.name)).toEqual(['P4', 'P3', 'P2'])
    const stored = JSON.parse(await readFile(file, 'utf8')) as { projects: unknown[] }
    expect(stored.projects).toHaveLength(3)
  })

  it('shows a project whose folder vanished as missing, and forgets it when asked', async () => {
    const [kept, gone] = [await folder('kept'), await folder('gone')]
    const list = recent()
    await list.remember(kept, 'Kept', at(1))
    await list.remember(gone, 'Gone', at(2))
    await rm(gone, { recursive: true })
    expect((await list.list()).map((r) => [r.name, r.missing])).toEqual([
      ['Gone', true],
      ['Kept', false]
    ])
    await list.forget(gone)
    expect((await list.list()).map((r) => r.name)).toEqual(['Kept'])
  })

  it.each([
    ['not JSON', '{"version": 1, "projects": ['],
    ['the wrong shape', JSON.stringify({ version: 1, projects: [{ dir: 42 }] })],
    ['a newer format', JSON.stringify({ version: 2, projects: [] })],
    ['a bad date', JSON.stringify({ version: 1, projects: [{ dir: '/x', name: 'x', openedAt: 'soon' }] })]
  ])('keeps a damaged file (%s) aside and starts an empty list without failing', async (_what, text) => {
    await mkdir(path.dirname(file), { recursive: true })
    await writeFile(file, text)
    const list = recent()
    expect(await list.list()).toEqual([])
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('the list starts empty')
    const names = await readdir(path.dirname(file))
    const aside = names.find((n) => n.startsWith(`${RECENT_PROJECTS_FILE}.damaged-`))
    expect(aside).toBeDefined()
    expect(await readFile(path.join(path.dirname(file), aside!), 'utf8')).toBe(text)
    // The studio goes on: the next open is remembered in a fresh, valid file.
    const p = await folder('after')
    await list.remember(p, 'After', at(5))
    expect((await recent().list()).map((r) => r.name)).toEqual(['After'])
  })

  it('remembers both of two opens made at once, and leaves no temporary file', async () => {
    const [a, b] = [await folder('a'), await folder('b')]
    const list = recent()
    await Promise.all([list.remember(a, 'A', at(1)), list.remember(b, 'B', at(2))])
    expect((await list.list()).map((r) => r.name).sort()).toEqual(['A', 'B'])
    expect(await readdir(path.dirname(file))).toEqual([RECENT_PROJECTS_FILE])
  })
})
