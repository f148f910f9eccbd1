// Runs in Node (Vitest): labels.import (report first, apply only when asked, as one undoable journaled edit),
// labels numbered by OpenCV's seek moved onto their pictures, labels.export in every format read back through
// labels.import, and dataset.export to JPEG frames + CSVs
// split by match (with ffmpeg, on a small generated video).
import { existsSync } from 'node:fs'
import { readFile, readdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ProjectService } from '../../../src/backend/project'
import { VideoEngine } from '../../../src/backend/video'
import { locateFfmpeg } from '../../../src/backend/ffmpeg/locate'
import { opencvNumbering } from '../../../src/backend/video/opencv-frame-numbers'
import { decodeColumns, LABEL_FORMATS, markNotVisible, placePoint } from '@shared/project'
import { makeTestVideo } from '../../helpers/test-videos'
import { disposeServices, fakeOpener, fakeVideo, makeService, tempDir, type Recorded } from './helpers'

let tmp: Awaited<ReturnType<typeof tempDir>>
beforeEach(async () => {
  tmp = await tempDir()
})
afterEach(async () => {
  await disposeServices()
  await tmp.done()
})

async function setup(frames = 50) {
  const { service, events } = makeService(fakeOpener(frames))
  await service.create({ dir: path.join(tmp.dir, 'p') })
  const { added } = await service.addVideos({
    match: 'm1',
    paths: [await fakeVideo(tmp.dir)],
    mode: 'reference'
  })
  const clipId = added[0]!.clipId
  await service.openClip({ clipId })
  return { service, events, clipId }
}

describe('labels.import', () => {
  it('reports a file with problems and changes nothing until asked', async () => {
    const { service, clipId } = await setup(5)
    const file = path.join(tmp.dir, 'in.csv')
    await writeFile(file, 'Frame,Visibility,X,Y\n0,1,0,0\n1,1,10,10\n2,1,2000,10\n')
    const report = await service.importLabels({ clipId, path: file })
    expect(report).toMatchObject({ format: 'tracknet', applied: false, rows: 3, frames: 3, seq: null })
    expect(report.issues.map((i) => i.code)).toEqual(
      expect.arrayContaining(['visible-at-origin', 'coordinate-off-frame', 'missing-frames', 'row-count'])
    )
    expect(decodeColumns((await service.openClip({ clipId })).labels).visibility[1]).toBe(0)

    const applied = await service.importLabels({ clipId, path: file, apply: true })
    expect(applied).toMatchObject({ applied: true, seq: 1 })
    const c = decodeColumns((await service.openClip({ clipId })).labels)
    expect([c.visibility[0], c.x[2], c.source[1]]).toEqual([2, 2000, 4])

    // One edit, undone by sending its undo.
    await service.edit({ clipId, edits: applied.undo })
    expect(decodeColumns((await service.openClip({ clipId })).labels).visibility[1]).toBe(0)
  })

  it('does not apply what it would have to guess (a frame twice), and says why', async () => {
    const { service, clipId } = await setup(5)
    const file = path.join(tmp.dir, 'dup.csv')
    await writeFile(file, 'Frame,Visibility,X,Y\n0,1,5,5\n0,1,6,6\n')
    const r = await service.importLabels({ clipId, path: file, apply: true })
    expect(r.applied).toBe(false)
    expect(r.notApplied).toMatch(/Frame 0 again/)
  })

  it('names an unreadable file clearly', async () => {
    const { service, clipId } = await setup(5)
    await expect(service.importLabels({ clipId, path: path.join(tmp.dir, 'nope.csv') })).rejects.toThrow(
      /does not exist/
    )
    const bad = path.join(tmp.dir, 'bad.csv')
    await writeFile(bad, 'frame;vis;x;y\n1;2;3;4\n')
    const r = await service.importLabels({ clipId, path: bad, apply: true })
    expect(r).toMatchObject({ format: null, applied: false })
    expect(r.issues[0]!.message).toMatch(/not a label header/)
  })
})

describe('labels.export', () => {
  it('round-trips every format through export and import into another clip', async () => {
    const { service, clipId } = await setup(50)
    await service.edit({
      clipId,
      edits: [placePoint(3, 100.5, 200.25), placePoint(4, 110.5, 190.25), markNotVisible(5, 9)]
    })
    const source = decodeColumns((await service.openClip({ clipId })).labels)
    for (const format of LABEL_FORMATS) {
      const { added } = await service.addVideos({
        match: 'm2',
        paths: [await fakeVideo(tmp.dir)],
        mode: 'reference'
      })
      const target = added[0]!.clipId
      const file = path.join(tmp.dir, `out.${format}`)
      const out = await service.exportLabels({ clipId, format, path: file })
      expect(out.rows).toBe(7)
      const r = await service.importLabels({ clipId: target, path: file, apply: true, source: 'human' })
      expect(r.format).toBe(format)
      const back = decodeColumns((await service.openClip({ clipId: target })).labels)
      // What every format carries: visibility (labelled, not visible, unlabelled) and positions.
      expect(Array.from(back.visibility)).toEqual(Array.from(source.visibility))
      expect(back.x[3]).toBeCloseTo(100.5, 3)
      expect(back.y[4]).toBeCloseTo(190.25, 3)
    }
  })
})

/** A project service on the real video engine (ffmpeg and ffprobe), recording its events into `events`. */
function realService(
  ffmpeg: Awaited<ReturnType<typeof locateFfmpeg>>,
  events: Recorded[]
): { engine: VideoEngine; service: ProjectService } {
  const engine = new VideoEngine({ ffmpeg, indexCacheDir: path.join(tmp.dir, 'index') })
  const service = new ProjectService({
    emit: (event, payload) => void events.push({ event, payload }),
    video: {
      open: async (file) => {
        const h = await engine.open(file)
        return { videoId: h.id, info: h.info }
      },
      close: async (id) => engine.get(id)?.close()
    },
    ffmpegPath: () => ffmpeg.ffmpegPath,
    ffprobePath: () => ffmpeg.ffprobePath,
    saveDelayMs: 50
  })
  return { engine, service }
}

/** A project `name` holding one open clip: a 160-frame video that drops frames (its own file per project). */
async function droppedFrameClip(
  ffmpeg: Awaited<ReturnType<typeof locateFfmpeg>>,
  name: string
): Promise<{ video: string; engine: VideoEngine; service: ProjectService; clipId: string }> {
  const video = await makeTestVideo('dropped', tmp.dir, { frames: 160, name: `${name}.mp4` })
  const { engine, service } = realService(ffmpeg, [])
  await service.create({ dir: path.join(tmp.dir, name) })
  const { added } = await service.addVideos({ match: 'm', paths: [video], mode: 'reference' })
  const clipId = added[0]!.clipId
  await service.openClip({ clipId })
  return { video, engine, service, clipId }
}

describe('labels.import with OpenCV numbering', () => {
  it('moves each label onto the picture OpenCV showed for its number, and says how many moved', async () => {
    const ffmpeg = await locateFfmpeg(null)
    const { video, engine, service, clipId } = await droppedFrameClip(ffmpeg, 'p')
    try {
      // Label n puts the shuttle at x = 10 + n: where it lands says which number it was written under.
      const file = path.join(tmp.dir, 'opencv.csv')
      const rows = Array.from({ length: 160 }, (_, n) => `${n},1,${10 + n},50`)
      await writeFile(file, ['Frame,Visibility,X,Y', ...rows].join('\n') + '\n')
      const { shown } = await opencvNumbering(ffmpeg.ffprobePath, video)
      const first = new Map<number, number>()
      for (let n = 0; n < 160; n++) if (shown[n]! >= 0 && !first.has(shown[n]!)) first.set(shown[n]!, n)

      const plain = await service.importLabels({ clipId, path: file })
      expect(plain.renumbered).toBeNull()
      const r = await service.importLabels({ clipId, path: file, apply: true, frameNumbers: 'opencv' })
      expect(r.applied).toBe(true)
      expect(r.renumbered!.moved).toBeGreaterThan(20)
      expect(r.renumbered!.dropped).toBe(160 - first.size)
      const c = decodeColumns((await service.openClip({ clipId })).labels)
      for (const [f, n] of first) expect(c.x[f]).toBe(10 + n)
      // A picture no number showed stays unlabelled.
      const unshown = [...Array(160).keys()].filter((f) => !first.has(f))
      for (const f of unshown) expect(c.visibility[f]).toBe(0)
    } finally {
      await service.dispose()
      engine.closeAll()
    }
  })

  it('taken as numbered on a video that drops frames, says what OpenCV numbering would move and what the track says', async () => {
    const ffmpeg = await locateFfmpeg(null)
    const { video, engine, service, clipId } = await droppedFrameClip(ffmpeg, 'hint')
    try {
      // Picture f shows the shuttle at at(f): 4 px per frame, more than the tolerance (3.3 px at 320×240).
      const at = (f: number): string => `${10 + 4 * (f % 70)},${20 + 50 * Math.floor(f / 70)}`
      const csv = async (name: string, rows: string[]): Promise<string> => {
        const file = path.join(tmp.dir, name)
        await writeFile(file, ['Frame,Visibility,X,Y', ...rows].join('\n') + '\n')
        return file
      }
      const { shown } = await opencvNumbering(ffmpeg.ffprobePath, video)
      // The file a tool that seeks with OpenCV writes: under number n, the picture OpenCV showed for n.
      const rows = [...Array(160).keys()].filter((n) => shown[n]! >= 0).map((n) => `${n},1,${at(shown[n]!)}`)
      const opencvFile = await csv('opencv-numbered.csv', rows)

      const noTrack = await service.importLabels({ clipId, path: opencvFile })
      expect(noTrack.numberingHint).toMatchObject({ track: null })
      expect(noTrack.numberingHint!.moves).toBeGreaterThan(20)
      // The tracker's track (here: the true positions, taken in as the model's), then the same check.
      const track = await csv(
        'track.csv',
        [...Array(160).keys()].map((f) => `${f},1,${at(f)}`)
      )
      const t = await service.importLabels({ clipId, path: track, apply: true, source: 'model' })
      expect(t.applied).toBe(true)
      const hint = (await service.importLabels({ clipId, path: opencvFile })).numberingHint!
      expect(hint.moves).toBe(noTrack.numberingHint!.moves)
      expect(hint.track!.opencv).toBe(hint.track!.compared)
      expect(hint.track!.compared - hint.track!.asNumbered).toBeGreaterThanOrEqual(hint.moves)
      // With the box ticked there is nothing to advise; a file numbered as the studio numbers is told so.
      const ticked = await service.importLabels({ clipId, path: opencvFile, frameNumbers: 'opencv' })
      expect(ticked.numberingHint).toBeNull()
      const own = (await service.importLabels({ clipId, path: track })).numberingHint!
      expect(own.track!.asNumbered).toBe(own.track!.compared)
      expect(own.track!.opencv).toBeLessThan(own.track!.compared)
    } finally {
      await service.dispose()
      engine.closeAll()
    }
  })
})

describe('dataset.export', () => {
  it('writes JPEG frames and CSVs, split train/val by match, with progress and an end state', async () => {
    const ffmpeg = await locateFfmpeg(null)
    const video = await makeTestVideo('cfr', tmp.dir, { frames: 12, width: 64, height: 48, name: 'tiny.mp4' })
    const events: Recorded[] = []
    const { engine, service } = realService(ffmpeg, events)
    try {
      await service.create({ dir: path.join(tmp.dir, 'p') })
      const ids: string[] = []
      for (const match of ['a', 'b']) {
        const { added } = await service.addVideos({ match, paths: [video], mode: 'reference' })
        ids.push(added[0]!.clipId)
      }
      for (const clipId of ids)
        await service.edit({ clipId, edits: [placePoint(2, 10, 20), markNotVisible(3)] })
      const out = path.join(tmp.dir, 'export')
      const job = await service.exportDataset({ dir: out, valMatches: ['b'] })
      expect(job).toMatchObject({ train: ['a'], val: ['b'] })
      await expect
        .poll(
          () =>
            events.find(
              (e) => e.event === 'dataset.progress' && (e.payload as { state: string }).state !== 'running'
            )?.payload,
          { timeout: 30_000 }
        )
        .toMatchObject({ state: 'done' })
      const frames = await readdir(path.join(out, 'train', 'a', 'frame', 'tiny'))
      expect(frames.sort((x, y) => parseInt(x) - parseInt(y))).toEqual(
        Array.from({ length: 12 }, (_, i) => `${i}.jpg`)
      )
      expect(await readFile(path.join(out, 'val', 'b', 'csv', 'tiny_ball.csv'), 'utf8')).toBe(
        'Frame,Visibility,X,Y\n2,1,10.000,20.000\n3,0,0.000,0.000\n'
      )
      expect(events.some((e) => e.event === 'dataset.progress')).toBe(true)
      await expect(service.exportDataset({ dir: out })).rejects.toThrow(/not empty/)
      expect(existsSync(path.join(out, 'val', 'b', 'frame', 'tiny', '11.jpg'))).toBe(true)
    } finally {
      await service.dispose()
      engine.closeAll()
    }
  })
})
