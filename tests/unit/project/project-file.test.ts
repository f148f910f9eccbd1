// Runs in Node (Vitest): opening a project whose .studio/project.json is damaged or from a newer studio. A
// damaged one is kept aside and rebuilt from the folder (clips keep their ids where their saved state proves
// which CSV is theirs), with a message; a newer format is refused with a message and left byte for byte.
import { readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { decodeColumns, getFrame, placePoint } from '@shared/project'
import { disposeServices, fakeOpener, fakeVideo, makeService, tempDir } from './helpers'

let tmp: Awaited<ReturnType<typeof tempDir>>
let root: string
let projectJson: string
beforeEach(async () => {
  tmp = await tempDir()
  root = path.join(tmp.dir, 'p')
  projectJson = path.join(root, '.studio', 'project.json')
})
afterEach(async () => {
  await disposeServices()
  await tmp.done()
})

/** A project with two clips, one labelled and saved. */
async function project(): Promise<{ labelled: string; other: string }> {
  const { service } = makeService(fakeOpener(20))
  await service.create({ dir: root })
  const a = await fakeVideo(tmp.dir, 'rally.mp4')
  const b = await fakeVideo(tmp.dir, 'serve.mp4')
  const { added } = await service.addVideos({ match: 'm', paths: [a, b], mode: 'copy' })
  const labelled = added.find((c) => c.clip === 'rally')!.clipId
  const other = added.find((c) => c.clip === 'serve')!.clipId
  await service.openClip({ clipId: labelled })
  for (let f = 0; f < 3; f++) await service.edit({ clipId: labelled, edits: [placePoint(f, 10 + f, 20)] })
  await service.closeProject()
  return { labelled, other }
}

describe('project.json', () => {
  for (const [what, damage] of [
    ['cut short', (t: string) => t.slice(0, Math.floor(t.length / 2))],
    ['not a project (an array)', () => '[1, 2, 3]\n'],
    ['a clip record without its place', (t: string) => t.replace(/"match": "m",/, '')]
  ] as const) {
    it(`${what}: kept aside, the project rebuilt from a scan with a message; labels and ids kept`, async () => {
      const { labelled } = await project()
      const original = await readFile(projectJson, 'utf8')
      const broken = damage(original)
      await writeFile(projectJson, broken)

      const { service } = makeService(fakeOpener(20))
      const library = await service.openProject({ dir: root })
      expect(library.problems.join(' ')).toMatch(
        /project\.json could not be read \(.+\)\. It was kept as project\.json\.damaged-.* rebuilt from its folders: 2 clip\(s\) found, 1 with/
      )
      const aside = (await readdir(path.join(root, '.studio'))).filter((n) =>
        n.startsWith('project.json.damaged-')
      )
      expect(aside).toHaveLength(1)
      expect(await readFile(path.join(root, '.studio', aside[0]!), 'utf8')).toBe(broken)
      expect(JSON.parse(await readFile(projectJson, 'utf8'))).toMatchObject({ version: 1, name: 'p' })

      const clips = library.matches.flatMap((m) => m.clips)
      expect(clips.map((c) => c.clip).sort()).toEqual(['rally', 'serve'])
      expect(clips.find((c) => c.clip === 'rally')).toMatchObject({ clipId: labelled, labelled: 3 })
      const clip = await service.openClip({ clipId: labelled })
      expect(getFrame(decodeColumns(clip.labels), 1)).toMatchObject({
        x: 11,
        source: 'human',
        review: 'corrected'
      })
      await service.closeProject()

      // Opened again: a whole file now, nothing to say.
      const { service: again } = makeService(fakeOpener(20))
      expect((await again.openProject({ dir: root })).problems).toEqual([])
    })
  }

  it('a newer format is refused with a message, and never rewritten', async () => {
    await project()
    const newer = (await readFile(projectJson, 'utf8')).replace('"version": 1', '"version": 99')
    expect(newer).toContain('"version": 99')
    await writeFile(projectJson, newer)
    const { service } = makeService(fakeOpener(20))
    await expect(service.openProject({ dir: root })).rejects.toMatchObject({
      code: 'bad-request',
      message: expect.stringMatching(
        /newer version of Shuttle Studio \(project format 99; this version reads format 1\)/
      )
    })
    await expect(service.library()).rejects.toThrow(/No project is open/)
    expect(await readFile(projectJson, 'utf8')).toBe(newer)
    expect((await readdir(path.join(root, '.studio'))).filter((n) => n.includes('damaged'))).toEqual([])
  })
})
