// Runs in Node (Vitest): browser mode's upload against a real crash. A child process receives a real video into
// a match and is killed with SIGKILL half way through its bytes, or once they are all in and ffprobe is asked
// about them (the ffprobe it is given kills the child, at the same point every run). After it no clip of the
// upload is in the project, nothing of it is left behind at the next open, and the same upload then succeeds
// with the whole file.
import { chmod, readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ffprobeBin, makeTestVideo } from '../../helpers/test-videos'
import { crashAt } from './crash-run'
import { disposeServices, fakeOpener, fakeVideo, makeService, tempDir } from './helpers'

let tmp: Awaited<ReturnType<typeof tempDir>> | null = null
afterEach(async () => {
  await disposeServices()
  await tmp?.done()
})

async function* chunks(bytes: Buffer): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += 64 * 1024) yield bytes.subarray(at, at + 64 * 1024)
}

describe.each([
  ['half way through its bytes', 'half'],
  ['while ffprobe checks the received file', 'probe']
])('SIGKILL during an upload, %s', (_what, step) => {
  it.skipIf(process.platform === 'win32')(
    'leaves no clip and nothing behind; the upload then succeeds',
    async () => {
      tmp = await tempDir()
      const video = await makeTestVideo('cfr', tmp.dir, {
        frames: 30,
        width: 64,
        height: 48,
        name: 'serve.mp4'
      })
      const root = path.join(tmp.dir, 'project')
      const { service } = makeService(fakeOpener(30))
      await service.create({ dir: root })
      await service.addVideos({ match: 'm', paths: [await fakeVideo(tmp.dir, 'rally.mp4')], mode: 'copy' })
      await service.closeProject()
      const killer = path.join(tmp.dir, 'ffprobe-kills.sh')
      await writeFile(killer, '#!/bin/sh\nkill -9 $PPID\n')
      await chmod(killer, 0o755)

      const ffprobe = step === 'probe' ? killer : ffprobeBin()
      const run = await crashAt(
        'upload',
        [root, 'm', video, ffprobe, step],
        step === 'half' ? /^paused half$/ : null
      )
      expect(run.signal, run.stderr).toBe('SIGKILL')
      expect(run.lines).not.toContain('added')

      const { service: after } = makeService(fakeOpener(30), { ffprobePath: ffprobeBin() })
      const library = await after.openProject({ dir: root })
      expect(library.matches.flatMap((m) => m.clips.map((c) => c.clip))).toEqual(['rally'])
      expect(await readdir(path.join(root, 'm', 'video'))).toEqual(['rally.mp4'])
      expect(await readdir(path.join(root, '.studio', 'uploads')).catch(() => [])).toEqual([])

      const bytes = await readFile(video)
      const upload = { match: 'm', fileName: 'serve.mp4', bytes: bytes.length }
      const { added } = await after.receiveVideo(upload, chunks(bytes), bytes.length)
      expect(added.map((c) => c.clip)).toEqual(['serve'])
      expect((await readFile(path.join(root, 'm', 'video', 'serve.mp4'))).equals(bytes)).toBe(true)
      await after.closeProject()
    },
    120_000
  )
})
