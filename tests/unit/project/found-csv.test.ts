// Runs in Node (Vitest): label CSVs put into a project's <match>/csv/ folder by hand. A clip never opened is
// counted from its CSV; a clip the studio holds labels for (here the tracker's) has the file merged in, with a
// report in the library; the user's file stays byte for byte as it was until the user edits that clip, and a
// rewrite after an edit keeps the digits the user's rows had.
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { LabelEdit } from '@shared/project/schemas'
import { decodeColumns, getFrame, placePoint } from '@shared/project'
import { groundTruthOf } from '@shared/evaluation/ground-truth'
import { disposeServices, fakeOpener, fakeVideo, makeService, tempDir } from './helpers'

let tmp: Awaited<ReturnType<typeof tempDir>>
let root: string
beforeEach(async () => {
  tmp = await tempDir()
  root = path.join(tmp.dir, 'p')
})
afterEach(async () => {
  await disposeServices()
  await tmp.done()
})

/** The tracker's labels as the studio applies them: frames 0–9, source model, unreviewed. */
const modelFrames: LabelEdit = {
  kind: 'frames',
  from: 0,
  what: 'Label 10 frames from the tracker',
  patches: Array.from({ length: 10 }, (_, f) =>
    f < 5
      ? { visibility: 'hidden', x: 0, y: 0, source: 'model', review: 'unreviewed', confidence: 0.1 }
      : { visibility: 'visible', x: 100 + f, y: 50, source: 'model', review: 'unreviewed', confidence: 0.9 }
  )
}

/**
 * Against those labels (and a person's point at frame 20): frames 0–2 not visible (the model agrees), frame 3
 * visible (the model said not), frame 5 where the model is (agrees), frame 6 elsewhere, frame 20 away from the
 * person's point, frames 30–31 new. Positions as people write them: whole pixels, one row with 4 decimals.
 */
const USER_CSV =
  'Frame,Visibility,X,Y\n0,0,0,0\n1,0,0,0\n2,0,0,0\n3,1,300,200\n5,1,105,50\n6,1,700.1234,400\n' +
  '20,1,640,360\n30,1,10,20\n31,0,0,0\n'

async function projectWithTrackedClip(): Promise<{ clipId: string; csv: string }> {
  const { service } = makeService(fakeOpener(100))
  await service.create({ dir: root })
  const { added } = await service.addVideos({ match: 'm', paths: [await fakeVideo(tmp.dir)], mode: 'copy' })
  const clipId = added[0]!.clipId
  await service.openClip({ clipId })
  await service.edit({ clipId, edits: [modelFrames, placePoint(20, 600, 300)] })
  await service.closeProject()
  return { clipId, csv: path.join(root, 'm', 'csv', 'rally_ball.csv') }
}

describe('label CSVs put into a project', () => {
  it('counts a clip never opened from its CSV, says so in the library, and leaves the file alone', async () => {
    const { service } = makeService(fakeOpener(100))
    await service.create({ dir: root })
    const { added } = await service.addVideos({ match: 'm', paths: [await fakeVideo(tmp.dir)], mode: 'copy' })
    await service.closeProject()
    const csv = path.join(root, 'm', 'csv', 'rally_ball.csv')
    await writeFile(csv, USER_CSV)

    const { service: again } = makeService(fakeOpener(100))
    const lib = await again.openProject({ dir: root })
    const clip = lib.matches[0]!.clips[0]!
    expect(clip.clipId).toBe(added[0]!.clipId)
    expect({ labelled: clip.labelled, visible: clip.visible }).toEqual({ labelled: 9, visible: 5 })
    expect(lib.problems).toContain('m/rally: labels found in m/csv/rally_ball.csv: 9 frames set.')
    await again.closeProject()

    // Counted once: the next open reads the counts from project.json and reports nothing again.
    const { service: third } = makeService(fakeOpener(100))
    const lib3 = await third.openProject({ dir: root })
    expect(lib3.matches[0]!.clips[0]!.labelled).toBe(9)
    expect(lib3.problems.filter((p) => p.includes('labels found'))).toEqual([])
    await third.openClip({ clipId: clip.clipId })
    await third.closeProject()
    expect(await readFile(csv, 'utf8')).toBe(USER_CSV)
  })

  it('keeps the report of a CSV counted while the project was open when the same project is opened again', async () => {
    const { service } = makeService(fakeOpener(100))
    await service.create({ dir: root })
    await service.addVideos({ match: 'm', paths: [await fakeVideo(tmp.dir)], mode: 'copy' })
    await writeFile(path.join(root, 'm', 'csv', 'rally_ball.csv'), USER_CSV)
    const line = 'm/rally: labels found in m/csv/rally_ball.csv: 9 frames set.'
    expect((await service.library()).problems).toContain(line)
    expect((await service.openProject({ dir: root })).problems).toContain(line)
  })

  it('merges a CSV copied over a tracked clip with a report, confirming what the model got right', async () => {
    const { clipId, csv } = await projectWithTrackedClip()
    await writeFile(csv, USER_CSV)

    const { service, events } = makeService(fakeOpener(100))
    const lib = await service.openProject({ dir: root })
    expect(lib.problems).toContain(
      'm/rally: labels found in m/csv/rally_ball.csv: 4 frames set, 3 confirmed not visible, ' +
        '1 confirmed visible, 1 conflict with labels made in the studio, kept as your file says.'
    )
    // The merge was saved at open: 10 tracked + frame 20 + frames 30, 31.
    expect(lib.matches[0]!.clips[0]!.labelled).toBe(13)
    expect(await readFile(csv, 'utf8')).toBe(USER_CSV)

    const opened = await service.openClip({ clipId })
    const c = decodeColumns(opened.labels)
    expect(getFrame(c, 0)).toMatchObject({ visibility: 'hidden', source: 'imported' })
    expect(getFrame(c, 5)).toMatchObject({ visibility: 'visible', x: 105, source: 'imported' })
    expect(getFrame(c, 4)).toMatchObject({ visibility: 'hidden', source: 'model' })
    expect(getFrame(c, 20)).toMatchObject({ x: 640, y: 360, source: 'imported' })
    // The ground truth is the file's rows, each as the file has it; the model's other guesses are not.
    const truth = groundTruthOf(c, 'people').points
    expect(truth.map((p) => p.frame)).toEqual([0, 1, 2, 3, 5, 6, 20, 30, 31])
    expect(truth.find((p) => p.frame === 6)).toMatchObject({ x: 700.1234, y: 400 })

    // Opening and closing without an edit leaves the user's file as it was.
    await service.closeClip({ clipId })
    await service.closeProject()
    expect(events.filter((e) => e.event === 'project.saveProblem')).toEqual([])
    expect(await readFile(csv, 'utf8')).toBe(USER_CSV)

    // An edit rewrites it: the user's rows keep their digits, the studio's get three decimals.
    const { service: again } = makeService(fakeOpener(100))
    await again.openProject({ dir: root })
    await again.openClip({ clipId })
    await again.edit({ clipId, edits: [placePoint(40, 1.5, 2.25)] })
    await again.closeProject()
    const rows = (await readFile(csv, 'utf8')).split('\n')
    expect(rows).toEqual(
      expect.arrayContaining(['0,0,0,0', '3,1,300,200', '6,1,700.1234,400', '30,1,10,20', '31,0,0,0'])
    )
    expect(rows).toEqual(
      expect.arrayContaining(['4,0,0.000,0.000', '7,1,107.000,50.000', '40,1,1.500,2.250'])
    )
  })

  it('"Import labels…" reports in the same words, keeping a person\'s label where the file disagrees', async () => {
    const { service } = makeService(fakeOpener(100))
    await service.create({ dir: root })
    const { added } = await service.addVideos({ match: 'm', paths: [await fakeVideo(tmp.dir)], mode: 'copy' })
    const clipId = added[0]!.clipId
    await service.openClip({ clipId })
    await service.edit({ clipId, edits: [modelFrames, placePoint(20, 600, 300)] })
    const file = path.join(tmp.dir, 'labels.csv')
    await writeFile(file, USER_CSV)
    const words = '4 frames set, 3 confirmed not visible, 1 confirmed visible, 1 conflict kept as yours'
    const check = await service.importLabels({
      clipId,
      path: file,
      format: 'auto',
      apply: false,
      keepHuman: true,
      onlyUnlabelled: false
    })
    expect({ summary: check.summary, applied: check.applied }).toEqual({ summary: words, applied: false })
    const done = await service.importLabels({
      clipId,
      path: file,
      format: 'auto',
      apply: true,
      keepHuman: true,
      onlyUnlabelled: false
    })
    expect({ summary: done.summary, applied: done.applied }).toEqual({ summary: words, applied: true })
    const c = decodeColumns((await service.openClip({ clipId })).labels)
    expect(getFrame(c, 20)).toMatchObject({ x: 600, y: 300, source: 'human' })
    expect(getFrame(c, 1)).toMatchObject({ visibility: 'hidden', source: 'imported' })
    // Checked again after the import: the file now changes nothing.
    const again = await service.importLabels({
      clipId,
      path: file,
      format: 'auto',
      apply: false,
      keepHuman: true,
      onlyUnlabelled: false
    })
    expect(again.summary).toBe('0 frames set, 1 conflict kept as yours')
  })
})
