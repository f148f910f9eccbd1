// Runs in Node (Vitest): the project service on a real folder — create, open, add, rename, remove; edits that
// are acknowledged only once journaled and are there after reopening; recovery after a crash (journal replay,
// a torn last line); and clear messages when the disk refuses (read-only, full).
import { existsSync } from 'node:fs'
import { appendFile, readFile, readdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { disk } from '../../../src/backend/project/disk'
import { decodeColumns, getFrame, invertEdit, markNotVisible, placePoint } from '@shared/project'
import { disposeServices, fakeOpener, fakeVideo, makeService, tempDir } from './helpers'

let tmp: Awaited<ReturnType<typeof tempDir>>
let root: string
let src: string

beforeEach(async () => {
  tmp = await tempDir()
  root = path.join(tmp.dir, 'project')
  src = path.join(tmp.dir, 'videos')
  await import('node:fs/promises').then((fs) => fs.mkdir(src))
})
afterEach(async () => {
  vi.restoreAllMocks()
  await disposeServices()
  await tmp.done()
})

async function projectWithClip(frames = 100, saveDelayMs = 50) {
  const opener = fakeOpener(frames)
  const { service, events } = makeService(opener, { saveDelayMs })
  await service.create({ dir: root, name: 'Test' })
  const { added } = await service.addVideos({ match: 'match1', paths: [await fakeVideo(src)], mode: 'copy' })
  return { service, events, opener, clipId: added[0]!.clipId }
}

describe('project library', () => {
  it('creates, adds by copy and by reference, renames a match, removes a clip into the trash', async () => {
    const { service } = makeService(fakeOpener())
    const lib = await service.create({ dir: root, name: 'Finals' })
    expect(lib).toMatchObject({ name: 'Finals', matches: [], problems: [] })
    await expect(service.create({ dir: root })).rejects.toThrow(/is a project already/)

    const a = await fakeVideo(src, 'a.mp4')
    const b = await fakeVideo(src, 'b.mp4')
    const copied = await service.addVideos({ match: 'match1', paths: [a, b], mode: 'copy' })
    expect(copied.added.map((c) => [c.clip, c.videoKind])).toEqual([
      ['a', 'copy'],
      ['b', 'copy']
    ])
    expect(existsSync(path.join(root, 'match1', 'video', 'a.mp4'))).toBe(true)
    const ref = await service.addVideos({ match: 'match1', paths: [a], mode: 'reference' })
    expect(ref.added[0]).toMatchObject({
      clip: 'a-2',
      videoKind: 'reference',
      videoPath: a,
      videoMissing: false
    })
    expect(existsSync(path.join(root, 'match1', 'video', 'a-2.video.json'))).toBe(true)

    const id = copied.added[0]!.clipId
    const renamed = await service.renameMatch({ from: 'match1', to: 'final' })
    expect(renamed.matches.map((m) => m.name)).toEqual(['final'])
    expect(renamed.matches[0]!.clips.find((c) => c.clip === 'a')!.clipId).toBe(id) // ids survive renames

    const removed = await service.removeClip({ clipId: id })
    expect(removed.library.matches[0]!.clips.map((c) => c.clip)).toEqual(['a-2', 'b'])
    expect(await readdir(path.join(removed.trashedTo, 'video'))).toEqual(['a.mp4'])

    // Reopening finds the same clips under the same ids.
    const { service: again } = makeService(fakeOpener())
    const reopened = await again.openProject({ dir: root })
    expect(reopened.matches[0]!.clips.map((c) => c.clipId)).toEqual(
      renamed.matches[0]!.clips.filter((c) => c.clipId !== id).map((c) => c.clipId)
    )
  })

  it('adopts an existing TrackNet folder and counts its labels', async () => {
    await import('node:fs/promises').then(async (fs) => {
      await fs.mkdir(path.join(root, 'm1', 'video'), { recursive: true })
      await fs.mkdir(path.join(root, 'm1', 'csv'), { recursive: true })
    })
    await fakeVideo(path.join(root, 'm1', 'video'), 'r1.mp4')
    await writeFile(path.join(root, 'm1', 'csv', 'r1_ball.csv'), 'Frame,Visibility,X,Y\n0,1,10,10\n1,0,0,0\n')
    const { service } = makeService(fakeOpener(2))
    const lib = await service.create({ dir: root })
    expect(lib.matches[0]!.clips[0]).toMatchObject({ clip: 'r1', labelled: 2, visible: 1, reviewed: 0 })
    const clip = await service.openClip({ clipId: lib.matches[0]!.clips[0]!.clipId })
    expect(getFrame(decodeColumns(clip.labels), 0)).toMatchObject({
      visibility: 'visible',
      source: 'imported'
    })
  })

  it('refuses a folder that is not a project, and names bad match names', async () => {
    const { service } = makeService(fakeOpener())
    await expect(service.openProject({ dir: tmp.dir })).rejects.toThrow(/not a project/)
  })
})

describe('edits', () => {
  it("shows an open clip's progress in the library at once, before its CSV is saved", async () => {
    // The CSV is written seconds after an edit; a reviewer who just finished the last frame and opens the
    // library must see every frame reviewed, not the count of the last save.
    const { service, events, clipId } = await projectWithClip(10, 60_000)
    await service.openClip({ clipId })
    await service.edit({ clipId, edits: [markNotVisible(0, 9)] })
    const lib = await service.library()
    expect(events.some((e) => e.event === 'project.saved')).toBe(false) // the CSV is not written yet
    expect(lib.matches[0]!.clips[0]).toMatchObject({ frames: 10, labelled: 10, visible: 0, reviewed: 10 })
  })

  it('acknowledges each edit with a sequence number and keeps it across close and reopen', async () => {
    const { service, events, clipId } = await projectWithClip()
    const opened = await service.openClip({ clipId })
    expect(opened.seq).toBe(0)
    const a = await service.edit({ clipId, edits: [placePoint(3, 100.125, 200.5)] })
    const b = await service.edit({ clipId, edits: [markNotVisible(4, 6)] })
    expect([a.seq, b.seq]).toEqual([1, 2])
    expect(b.counts).toMatchObject({ labelled: 4, visible: 1, reviewed: 4 })
    expect(events.filter((e) => e.event === 'labels.changed')).toHaveLength(2)
    await service.closeProject()
    expect(events.some((e) => e.event === 'project.saved')).toBe(true)
    const csv = await readFile(path.join(root, 'match1', 'csv', 'rally_ball.csv'), 'utf8')
    expect(csv).toBe(
      'Frame,Visibility,X,Y\n3,1,100.125,200.500\n4,0,0.000,0.000\n5,0,0.000,0.000\n6,0,0.000,0.000\n'
    )

    const { service: again } = makeService(fakeOpener())
    const lib = await again.openProject({ dir: root })
    expect(lib.matches[0]!.clips[0]).toMatchObject({ frames: 100, labelled: 4, visible: 1, reviewed: 4 })
    const reopened = await again.openClip({ clipId })
    const c = decodeColumns(reopened.labels)
    expect(reopened).toMatchObject({ seq: 2, recovered: 0 })
    expect(getFrame(c, 3)).toEqual({
      visibility: 'visible',
      x: 100.125,
      y: 200.5,
      source: 'human',
      review: 'corrected',
      confidence: null
    })
    expect(getFrame(c, 5).visibility).toBe('hidden')
  })

  it('undo is the inverse edit sent like any other', async () => {
    const { service, clipId } = await projectWithClip()
    const before = decodeColumns((await service.openClip({ clipId })).labels)
    const edit = placePoint(9, 1, 2)
    const undo = invertEdit(before, edit)
    await service.edit({ clipId, edits: [edit] })
    await service.edit({ clipId, edits: [undo] })
    const after = decodeColumns((await service.openClip({ clipId })).labels)
    expect(getFrame(after, 9)).toEqual(getFrame(before, 9))
  })

  it('refuses an edit beyond the clip with a clear message', async () => {
    const { service, clipId } = await projectWithClip(10)
    await expect(service.edit({ clipId, edits: [markNotVisible(5, 20)] })).rejects.toThrow(
      /reaches frame 20.*10 frames/
    )
  })
})

describe('recovery', () => {
  it('replays the journal after a crash (edits acknowledged, files never saved)', async () => {
    const { service, clipId } = await projectWithClip(100, 60_000)
    await service.openClip({ clipId })
    for (let f = 0; f < 20; f++) await service.edit({ clipId, edits: [placePoint(f, f, f)] })
    // No close, no save: as if the process died here.
    expect(existsSync(path.join(root, 'match1', 'csv', 'rally_ball.csv'))).toBe(false)

    const { service: after } = makeService(fakeOpener(100))
    await after.openProject({ dir: root })
    const clip = await after.openClip({ clipId })
    expect(clip.recovered).toBe(20)
    expect(clip.seq).toBe(20)
    expect(clip.warnings.join(' ')).toMatch(/20 edit\(s\).*recovered/)
    const c = decodeColumns(clip.labels)
    for (let f = 0; f < 20; f++) expect(getFrame(c, f)).toMatchObject({ visibility: 'visible', x: f, y: f })
    await after.closeProject()
    expect(await readFile(path.join(root, 'match1', 'csv', 'rally_ball.csv'), 'utf8')).toMatch(
      /^Frame.*\n0,1,0.000,0.000\n/
    )
  })

  it('ignores a torn last line with a warning, loses nothing before it, and appends cleanly after', async () => {
    const { service, clipId } = await projectWithClip(100, 60_000)
    await service.openClip({ clipId })
    await service.edit({ clipId, edits: [placePoint(1, 11, 11)] })
    await service.edit({ clipId, edits: [placePoint(2, 22, 22)] })
    const journal = path.join(root, '.studio', 'clips', clipId, 'journal.jsonl')
    await appendFile(journal, '{"seq":3,"at":"2026-11-24T00:00:00Z","edits":[{"kind":"ran')

    const { service: s2 } = makeService(fakeOpener(100), { saveDelayMs: 60_000 })
    await s2.openProject({ dir: root })
    const clip = await s2.openClip({ clipId })
    expect(clip.warnings.join(' ')).toMatch(/cut short/)
    expect(clip.seq).toBe(2)
    expect(decodeColumns(clip.labels).x[2]).toBe(22)
    await s2.edit({ clipId, edits: [placePoint(3, 33, 33)] })

    const { service: s3 } = makeService(fakeOpener(100))
    await s3.openProject({ dir: root })
    const again = await s3.openClip({ clipId })
    expect(again.warnings.join(' ')).not.toMatch(/cut short|damaged/)
    expect(again.seq).toBe(3)
    expect(decodeColumns(again.labels).x[3]).toBe(33)
  })
})

describe('bad disks', () => {
  const erofs = () => Object.assign(new Error('EROFS: read-only file system'), { code: 'EROFS' })
  const enospc = () => Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })

  it('says a read-only project folder is read-only, and what to do', async () => {
    const { service } = await projectWithClip()
    await service.closeProject()
    vi.spyOn(disk, 'writeAtomic').mockRejectedValue(erofs())
    const { service: s2 } = makeService(fakeOpener())
    await expect(s2.openProject({ dir: root })).rejects.toThrow(
      /read-only.*Make it writable, or copy the project/
    )
  })

  it('a full disk refuses the edit (not applied, not acknowledged) and says so', async () => {
    const { service, clipId } = await projectWithClip()
    await service.openClip({ clipId })
    vi.spyOn(disk, 'appendDurable').mockRejectedValueOnce(enospc())
    await expect(service.edit({ clipId, edits: [placePoint(1, 5, 5)] })).rejects.toThrow(
      /disk is full.*NOT applied/
    )
    const c = decodeColumns((await service.openClip({ clipId })).labels)
    expect(c.visibility[1]).toBe(0)
    // The next edit goes through, with the next seq.
    expect((await service.edit({ clipId, edits: [placePoint(1, 5, 5)] })).seq).toBe(1)
  })

  it('a failed CSV rewrite keeps the edits in the journal, reports, and retries', async () => {
    const { service, events, clipId } = await projectWithClip()
    await service.openClip({ clipId })
    const real = disk.writeAtomic
    let fail = true
    vi.spyOn(disk, 'writeAtomic').mockImplementation((file, data) =>
      fail && String(file).endsWith('.csv') ? Promise.reject(enospc()) : real(file, data)
    )
    await service.edit({ clipId, edits: [placePoint(1, 5, 5)] })
    await vi.waitFor(() => expect(events.some((e) => e.event === 'project.saveProblem')).toBe(true), {
      timeout: 3000
    })
    const problem = events.find((e) => e.event === 'project.saveProblem')!.payload as { message: string }
    expect(problem.message).toMatch(/disk is full.*safe in the journal/)
    const journal = await readFile(path.join(root, '.studio', 'clips', clipId, 'journal.jsonl'), 'utf8')
    expect(journal).toMatch(/"seq":1/)
    fail = false
    await vi.waitFor(() => expect(events.some((e) => e.event === 'project.saved')).toBe(true), {
      timeout: 5000
    })
    expect(await readFile(path.join(root, 'match1', 'csv', 'rally_ball.csv'), 'utf8')).toMatch(
      /1,1,5.000,5.000/
    )
  })

  it('never rewrites a CSV with fewer labelled rows than it has unless edits cleared them', async () => {
    const { service, events, clipId } = await projectWithClip(100, 60_000)
    await service.openClip({ clipId })
    await service.edit({ clipId, edits: [placePoint(1, 5, 5)] })
    const csvFile = path.join(root, 'match1', 'csv', 'rally_ball.csv')
    // Someone writes a longer label file behind the studio's back.
    await writeFile(
      csvFile,
      'Frame,Visibility,X,Y\n' + Array.from({ length: 10 }, (_, f) => `${f},1,1,1`).join('\n') + '\n'
    )
    // The close says it could not save (it does not answer "closed"); the clip is closed all the same.
    await expect(service.closeClip({ clipId })).rejects.toThrow(
      /Not rewriting.*10 labelled rows.*would write 1/
    )
    expect(await service.closeClip({ clipId })).toEqual({ closed: false })
    expect(events.find((e) => e.event === 'project.saveProblem')?.payload).toMatchObject({
      message: expect.stringMatching(/Not rewriting.*10 labelled rows.*would write 1/)
    })
    expect((await readFile(csvFile, 'utf8')).split('\n').length).toBe(12)
  })
})
