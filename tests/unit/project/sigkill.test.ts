// Runs in Node (Vitest): the "no acknowledged edit is ever lost" invariant against a real crash. A child
// process applies a burst of edits; it is killed with SIGKILL after some acknowledgements; the project is
// then reopened here and every acknowledged edit must be in it.
import { spawn } from 'node:child_process'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { afterEach, expect, it } from 'vitest'
import { decodeColumns } from '@shared/project'
import { disposeServices, fakeOpener, fakeVideo, makeService, tempDir } from './helpers'

let tmp: Awaited<ReturnType<typeof tempDir>> | null = null
afterEach(async () => {
  await disposeServices()
  await tmp?.done()
})

it('keeps every acknowledged edit when the backend is killed with SIGKILL mid-burst', async () => {
  tmp = await tempDir()
  const root = path.join(tmp.dir, 'project')
  const { service } = makeService(fakeOpener(100_000))
  await service.create({ dir: root })
  const { added } = await service.addVideos({ match: 'm', paths: [await fakeVideo(tmp.dir)], mode: 'copy' })
  const clipId = added[0]!.clipId
  await service.closeProject()

  const script = path.join(import.meta.dirname, 'edit-burst.ts')
  const child = spawn(process.execPath, ['--import', 'tsx', script, root, clipId], {
    cwd: path.resolve(import.meta.dirname, '../../..'),
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const acked: { seq: number; frame: number }[] = []
  const KILL_AFTER = 150
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('exit', (_code, signal) => resolve(signal))
  )
  for await (const line of createInterface({ input: child.stdout })) {
    const m = /^ack (\d+) (\d+)$/.exec(line)
    if (!m) continue
    acked.push({ seq: Number(m[1]), frame: Number(m[2]) })
    if (acked.length === KILL_AFTER) child.kill('SIGKILL')
  }
  expect(await exited, stderr).toBe('SIGKILL')
  expect(acked.length).toBeGreaterThanOrEqual(KILL_AFTER)

  const { service: after } = makeService(fakeOpener(100_000))
  await after.openProject({ dir: root })
  const clip = await after.openClip({ clipId })
  const c = decodeColumns(clip.labels)
  const last = acked[acked.length - 1]!
  expect(clip.seq).toBeGreaterThanOrEqual(last.seq)
  const lost = acked.filter(
    ({ frame }) => c.visibility[frame] !== 2 || c.x[frame] !== frame + 0.25 || c.y[frame] !== frame + 0.5
  )
  expect(lost).toEqual([])
  await after.closeProject()
}, 60_000)
