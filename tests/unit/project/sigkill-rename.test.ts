// Runs in Node (Vitest): project.renameMatch against a real crash. A child process renames a match of two
// labelled clips and is killed with SIGKILL before its first write of project.json (the rename recorded, the
// folder not moved yet) or before its second (the folder moved, the clips' records not yet). After it the
// project opens, every clip is found exactly once under one match, and each keeps its id, so its studio state
// (sources, review states) and journal are still its own.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { decodeColumns, getFrame, placePoint } from '@shared/project'
import { crashAt } from './crash-run'
import { disposeServices, fakeOpener, fakeVideo, makeService, tempDir } from './helpers'

let tmp: Awaited<ReturnType<typeof tempDir>> | null = null
afterEach(async () => {
  await disposeServices()
  await tmp?.done()
})

describe.each([
  ['before the rename is recorded', 1, 'm'],
  ['after the folder moved, before the records follow', 2, 'n']
])('SIGKILL during renameMatch, %s', (_what, nth, where) => {
  it('opens with every clip once, under one match, with its own id and state', async () => {
    tmp = await tempDir()
    const root = path.join(tmp.dir, 'project')
    const { service } = makeService(fakeOpener(50))
    await service.create({ dir: root })
    const videos = [await fakeVideo(tmp.dir, 'a.mp4'), await fakeVideo(tmp.dir, 'b.mp4')]
    const { added } = await service.addVideos({ match: 'm', paths: videos, mode: 'copy' })
    const ids = Object.fromEntries(added.map((c) => [c.clip, c.clipId]))
    for (const id of Object.values(ids)) {
      await service.openClip({ clipId: id })
      await service.edit({ clipId: id, edits: [placePoint(4, 40, 41)] })
    }
    await service.closeProject()

    const run = await crashAt('rename', [root, 'm', 'n', String(nth)], /^paused /)
    expect(run.signal, run.stderr).toBe('SIGKILL')
    expect(run.lines).toContain(`paused project.json#${nth}`)

    const { service: after } = makeService(fakeOpener(50))
    const library = await after.openProject({ dir: root })
    expect(library.problems).toEqual([])
    expect(library.matches.map((m) => m.name)).toEqual([where])
    const clips = library.matches.flatMap((m) => m.clips)
    expect(clips.map((c) => [c.clip, c.clipId]).sort()).toEqual(Object.entries(ids).sort())
    const file = JSON.parse(await readFile(path.join(root, '.studio', 'project.json'), 'utf8')) as object
    expect(file).not.toHaveProperty('renaming')
    for (const id of Object.values(ids)) {
      const c = decodeColumns((await after.openClip({ clipId: id })).labels)
      // From the clip's own state: a CSV read under a new id would say 'imported'.
      expect(getFrame(c, 4)).toMatchObject({ x: 40, y: 41, source: 'human' })
      await after.closeClip({ clipId: id })
    }
    // The rename can be made (again) and the ids still hold.
    if (where === 'm') await after.renameMatch({ from: 'm', to: 'n' })
    const renamed = await after.renameMatch({ from: 'n', to: 'o' })
    expect(renamed.matches.flatMap((m) => m.clips.map((c) => c.clipId)).sort()).toEqual(
      Object.values(ids).sort()
    )
    await after.closeProject()
  }, 120_000)
})
