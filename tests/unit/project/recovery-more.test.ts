// Runs in Node (Vitest): the rarer recovery paths — a CSV edited outside the studio, a journal damaged in the
// middle (kept aside, nothing before it lost), a truly read-only folder (when not running as root), and the
// names the contract refuses.
import { chmod, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { projectMethods } from '@shared/api/methods/project'
import { acceptFrames, decodeColumns, getFrame, placePoint } from '@shared/project'
import { UNKNOWN } from '@shared/project/columns'
import { disposeServices, fakeOpener, fakeVideo, makeService, tempDir } from './helpers'

let tmp: Awaited<ReturnType<typeof tempDir>>
let root: string
beforeEach(async () => {
  tmp = await tempDir()
  root = path.join(tmp.dir, 'p')
})
afterEach(async () => {
  await chmod(root, 0o755).catch(() => undefined)
  await disposeServices()
  await tmp.done()
})

async function clipWithEdits(saveDelayMs = 50) {
  const { service } = makeService(fakeOpener(20), { saveDelayMs })
  await service.create({ dir: root })
  const { added } = await service.addVideos({ match: 'm', paths: [await fakeVideo(tmp.dir)], mode: 'copy' })
  const clipId = added[0]!.clipId
  await service.openClip({ clipId })
  for (let f = 0; f < 3; f++) await service.edit({ clipId, edits: [placePoint(f, 10 + f, 10)] })
  return { service, clipId }
}

describe('recovery, rarer paths', () => {
  it('reads frames changed in the CSV outside the studio, and says so', async () => {
    const { service, clipId } = await clipWithEdits()
    await service.closeProject()
    const csv = path.join(root, 'm', 'csv', 'rally_ball.csv')
    await writeFile(csv, (await readFile(csv, 'utf8')).replace('1,1,11.000,10.000', '1,1,55.000,66.000'))
    const { service: again } = makeService(fakeOpener(20))
    await again.openProject({ dir: root })
    const clip = await again.openClip({ clipId })
    expect(clip.warnings.join(' ')).toMatch(/differs from the studio's last save in 1 frame/)
    const c = decodeColumns(clip.labels)
    expect(getFrame(c, 1)).toMatchObject({ x: 55, y: 66, source: 'imported', review: 'unreviewed' })
    expect(getFrame(c, 2)).toMatchObject({ x: 12, source: 'human', review: 'corrected' })
  })

  it('keeps aside a CSV changed outside the studio while its clip is open, before saving over it', async () => {
    const { service, events } = makeService(fakeOpener(20), { saveDelayMs: 50 })
    await service.create({ dir: root })
    const { added } = await service.addVideos({ match: 'm', paths: [await fakeVideo(tmp.dir)], mode: 'copy' })
    const clipId = added[0]!.clipId
    await service.openClip({ clipId })
    for (let f = 0; f < 3; f++) await service.edit({ clipId, edits: [placePoint(f, 10 + f, 10)] })
    await service.closeClip({ clipId }).catch(() => undefined)
    await service.openClip({ clipId })
    const csv = path.join(root, 'm', 'csv', 'rally_ball.csv')
    // Another tool writes its own labels over the file while the clip is open: as many rows, other places.
    const theirs = 'Frame,Visibility,X,Y\n0,1,70,70\n1,1,71,70\n2,1,72,70\n'
    await writeFile(csv, theirs)
    await service.edit({ clipId, edits: [placePoint(3, 13, 10)] })
    await service.closeClip({ clipId })
    const aside = (await readdir(path.dirname(csv))).filter((n) => n.startsWith('rally_ball.csv.replaced-'))
    expect(aside).toHaveLength(1)
    expect(await readFile(path.join(path.dirname(csv), aside[0]!), 'utf8')).toBe(theirs)
    expect(await readFile(csv, 'utf8')).toMatch(/3,1,13\.000,10\.000/)
    const problem = events.find((e) => e.event === 'project.saveProblem')?.payload as { message: string }
    expect(problem.message).toMatch(/changed outside the studio.*kept as rally_ball\.csv\.replaced-/)
  })

  it('rewrites a CSV that had a frame twice (one row per frame), without tripping the shrink guard', async () => {
    const { service, clipId } = await clipWithEdits()
    await service.closeProject()
    const csv = path.join(root, 'm', 'csv', 'rally_ball.csv')
    await writeFile(csv, 'Frame,Visibility,X,Y\n0,1,10,10\n0,1,10,10\n1,1,11,10\n2,1,12,10\n')
    const { service: again, events } = makeService(fakeOpener(20))
    await again.openProject({ dir: root })
    await again.openClip({ clipId })
    await again.edit({ clipId, edits: [placePoint(5, 1, 1)] })
    await again.closeProject()
    expect(events.filter((e) => e.event === 'project.saveProblem')).toEqual([])
    expect((await readFile(csv, 'utf8')).split('\n').filter(Boolean)).toHaveLength(5)
  })

  it('writes the CSV again when it went missing, and leaves it alone for review-only edits', async () => {
    const { service, clipId } = await clipWithEdits()
    await service.closeProject()
    const csv = path.join(root, 'm', 'csv', 'rally_ball.csv')
    await rm(csv)
    const { service: again } = makeService(fakeOpener(20))
    await again.openProject({ dir: root })
    expect((await again.openClip({ clipId })).warnings.join(' ')).toMatch(/was missing/)
    await again.closeClip({ clipId })
    const written = await readFile(csv, 'utf8')
    expect(written.split('\n').filter(Boolean)).toHaveLength(4)
    await writeFile(csv, written + '\n') // a marker: a rewrite would remove the blank line
    await again.edit({ clipId, edits: [acceptFrames(0, 2)] })
    await again.closeClip({ clipId })
    expect(await readFile(csv, 'utf8')).toBe(written + '\n')
  })

  it('skips a damaged line in the middle of the journal, keeps the file aside, replays every other edit', async () => {
    const { clipId } = await clipWithEdits(60_000)
    const dir = path.join(root, '.studio', 'clips', clipId)
    const journal = path.join(dir, 'journal.jsonl')
    const original = await readFile(journal, 'utf8')
    const lines = original.split('\n')
    lines[1] = lines[1]!.replace('"x":11', '"x":99') // checksum no longer matches
    await writeFile(journal, lines.join('\n'))
    const { service: again } = makeService(fakeOpener(20))
    await again.openProject({ dir: root })
    const clip = await again.openClip({ clipId })
    expect(clip.warnings.join(' ')).toMatch(
      /damaged at line 2 \(after edit 1\).*skipped.*kept as journal\.jsonl\.damaged-/
    )
    expect(clip.seq).toBe(3)
    const c = decodeColumns(clip.labels)
    expect([c.x[0], c.visibility[1], c.x[2]]).toEqual([10, UNKNOWN, 12])
    const aside = (await readdir(dir)).filter((n) => n.startsWith('journal.jsonl.damaged-'))
    expect(aside).toHaveLength(1)
    expect(await readFile(path.join(dir, aside[0]!), 'utf8')).toContain(lines[1])
    await again.closeProject()
  })

  it('keeps a damaged last line aside too: a whole line that fails its checksum was not torn by a crash', async () => {
    const { clipId } = await clipWithEdits(60_000)
    const dir = path.join(root, '.studio', 'clips', clipId)
    const journal = path.join(dir, 'journal.jsonl')
    const lines = (await readFile(journal, 'utf8')).split('\n') // three lines and a final ''
    lines[2] = lines[2]!.replace('"x":12', '"x":98')
    await writeFile(journal, lines.join('\n'))
    const { service: again } = makeService(fakeOpener(20))
    await again.openProject({ dir: root })
    const clip = await again.openClip({ clipId })
    expect(clip.warnings.join(' ')).toMatch(
      /damaged at line 3 \(after edit 2\).*kept as journal\.jsonl\.damaged-/
    )
    expect(clip.seq).toBe(2)
    const aside = (await readdir(dir)).filter((n) => n.startsWith('journal.jsonl.damaged-'))
    expect(await readFile(path.join(dir, aside[0]!), 'utf8')).toContain(lines[2])
    // The journal now holds only whole, checked lines: the next open has nothing to warn about.
    await again.closeProject()
    const { service: third } = makeService(fakeOpener(20))
    await third.openProject({ dir: root })
    expect((await third.openClip({ clipId })).warnings).toEqual([])
  })

  it('refuses a clip whose saved state is of a newer format, and leaves its files unchanged', async () => {
    const { service, clipId } = await clipWithEdits()
    await service.closeProject()
    const state = path.join(root, '.studio', 'clips', clipId, 'state.json')
    const csv = path.join(root, 'm', 'csv', 'rally_ball.csv')
    const newer = (await readFile(state, 'utf8')).replace('"version":1', '"version":7')
    expect(newer).toContain('"version":7')
    await writeFile(state, newer)
    const csvBefore = await readFile(csv, 'utf8')
    const { service: again } = makeService(fakeOpener(20))
    await again.openProject({ dir: root })
    await expect(again.openClip({ clipId })).rejects.toThrow(
      /newer version of Shuttle Studio \(clip state format 7; this version reads format 1\)/
    )
    await again.closeProject()
    expect(await readFile(state, 'utf8')).toBe(newer)
    expect(await readFile(csv, 'utf8')).toBe(csvBefore)
  })

  it.skipIf(process.getuid?.() === 0)(
    'refuses a read-only project folder with a message (non-root only)',
    async () => {
      const { service } = await clipWithEdits()
      await service.closeProject()
      await chmod(path.join(root, '.studio'), 0o555)
      const { service: again } = makeService(fakeOpener(20))
      await expect(again.openProject({ dir: root })).rejects.toThrow(/read-only/)
      await chmod(path.join(root, '.studio'), 0o755)
    }
  )

  it('the contract refuses match names that are not plain folder names', () => {
    const parse = (match: string) =>
      projectMethods['project.addVideos'].params.safeParse({ match, paths: ['a.mp4'], mode: 'copy' }).success
    expect(['../up', '.hidden', 'a/b', 'a:b', ''].map(parse)).toEqual([false, false, false, false, false])
    expect(parse('Final 2026')).toBe(true)
  })
})
