// Runs in Node (Vitest): the dataset export against a real crash. A child process exports a project of two
// matches with real ffmpeg; the ffmpeg it is given is real ffmpeg followed by a SIGKILL of the child itself, so
// the studio dies the moment the first clip's frames are written, mid-export, at the same point every run.
// The export's folder must then hold no dataset at all (none presented as whole while half of it is missing),
// and an export into the same folder afterwards writes it whole.
import { chmod, readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, expect, it } from 'vitest'
import { locateFfmpeg } from '../../../src/backend/ffmpeg/locate'
import { placePoint } from '@shared/project'
import { makeTestVideo } from '../../helpers/test-videos'
import { crashAt } from './crash-run'
import { disposeServices, fakeOpener, makeService, tempDir, type Recorded } from './helpers'

let tmp: Awaited<ReturnType<typeof tempDir>> | null = null
afterEach(async () => {
  await disposeServices()
  await tmp?.done()
})

const exportEnded = (events: Recorded[]): unknown =>
  events.find((e) => e.event === 'dataset.progress' && (e.payload as { state: string }).state !== 'running')
    ?.payload

it.skipIf(process.platform === 'win32')(
  'SIGKILL mid-export leaves no half-written dataset in the folder; the next export writes it whole',
  async () => {
    tmp = await tempDir()
    const ffmpeg = (await locateFfmpeg(null)).ffmpegPath
    const video = await makeTestVideo('cfr', tmp.dir, { frames: 12, width: 64, height: 48, name: 'tiny.mp4' })
    const root = path.join(tmp.dir, 'project')
    const { service, events } = makeService(fakeOpener(12), { ffmpegPath: ffmpeg })
    await service.create({ dir: root })
    for (const match of ['a', 'b']) {
      const { added } = await service.addVideos({ match, paths: [video], mode: 'reference' })
      await service.edit({ clipId: added[0]!.clipId, edits: [placePoint(2, 10, 20)] })
    }
    await service.closeProject()
    // Real ffmpeg writes the first clip's frames, then the studio is killed before it learns so.
    const dying = path.join(tmp.dir, 'ffmpeg-then-kill.sh')
    await writeFile(dying, `#!/bin/sh\n"${ffmpeg}" "$@" || exit $?\nkill -9 $PPID\n`)
    await chmod(dying, 0o755)

    const out = path.join(tmp.dir, 'dataset')
    const run = await crashAt('export', [root, out, dying], null)
    expect(run.signal, run.stderr).toBe('SIGKILL')
    expect(run.lines.some((l) => l.startsWith('started '))).toBe(true)
    // Nothing a reader of the folder would take for a dataset: only the hidden staging folder, if anything.
    expect((await readdir(out)).filter((name) => !name.startsWith('.'))).toEqual([])

    await service.openProject({ dir: root })
    await service.exportDataset({
      dir: out,
      valFraction: 0.5,
      unlabelled: 'omit',
      reviewedOnly: false,
      jpegQuality: 2
    })
    await expect.poll(() => exportEnded(events), { timeout: 60_000 }).toMatchObject({ state: 'done' })
    expect((await readdir(out)).sort()).toEqual(['train', 'val'])
    for (const part of ['train', 'val']) {
      const [match] = await readdir(path.join(out, part))
      const frames = await readdir(path.join(out, part, match!, 'frame', 'tiny'))
      expect(frames.sort((x, y) => parseInt(x) - parseInt(y))).toEqual(
        Array.from({ length: 12 }, (_, i) => `${i}.jpg`)
      )
      expect(await readFile(path.join(out, part, match!, 'csv', 'tiny_ball.csv'), 'utf8')).toBe(
        'Frame,Visibility,X,Y\n2,1,10.000,20.000\n'
      )
    }
    await service.closeProject()
  },
  120_000
)
