// Runs in Node (Vitest): the "no acknowledged edit is ever lost" invariant for edits over many frames (range
// clears and interpolations) against a real crash, and the files after it: a child process applies them, is
// killed with SIGKILL after some acknowledgements, and the project is reopened here. Every acknowledged edit
// must be in the labels, the close must save, and the CSV on disk must then hold exactly those labels (the
// TrackNet file that evaluation and training read), saveable again. Run with saves held back (the crash
// always comes before any save: replayed clears must count as clears) and with saves during the burst.
import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { afterEach, describe, expect, it } from 'vitest'
import { readLabelCsv } from '@shared/labels/read'
import { columnsEqual, decodeColumns, labelledPoints, placePoint } from '@shared/project'
import { disposeServices, fakeOpener, makeService, tempDir } from './helpers'
import { expectedAfter, FRAMES, startingEdit } from './range-edits'
import { newProjectWithOpenClip } from './open-clip'

let tmp: Awaited<ReturnType<typeof tempDir>> | null = null
afterEach(async () => {
  await disposeServices()
  await tmp?.done()
})

async function crashAfter(root: string, clipId: string, acks: number, saveDelayMs: number): Promise<number> {
  const script = path.join(import.meta.dirname, 'range-burst.ts')
  const child = spawn(process.execPath, ['--import', 'tsx', script, root, clipId, String(saveDelayMs)], {
    cwd: path.resolve(import.meta.dirname, '../../..'),
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('exit', (_c, signal) => resolve(signal))
  )
  let acked = 0
  for await (const line of createInterface({ input: child.stdout })) {
    if (!/^ack \d+ \d+$/.test(line)) continue
    if (++acked === acks) child.kill('SIGKILL')
  }
  expect(await exited, stderr).toBe('SIGKILL')
  return acked
}

async function csvLabels(file: string) {
  const read = readLabelCsv(await readFile(file, 'utf8'))
  // The studio writes labelled frames only: frames missing from the file (however many gaps) are expected.
  const gaps = (i: { code: string; message: string }): boolean =>
    i.code === 'missing-frames' || i.code === 'row-count' || /more of "missing-frames"/.test(i.message)
  const unexpected = read.issues.filter((i) => i.severity === 'error' && !gaps(i))
  expect(unexpected.map((i) => `${i.code}: ${i.message}`)).toEqual([])
  return read.points.map((p) => `${p.frame}:${p.visible ? `${p.x.toFixed(3)},${p.y.toFixed(3)}` : '-'}`)
}

function csvOf(c: ReturnType<typeof expectedAfter>): string[] {
  return labelledPoints(c).map((p) => `${p.frame}:${p.visible ? `${p.x.toFixed(3)},${p.y.toFixed(3)}` : '-'}`)
}

describe.each([
  ['before any save', 60_000],
  ['with saves during the burst', 20]
])('SIGKILL during range clears and interpolations, %s', (_what, saveDelayMs) => {
  it('loses no acknowledged edit; the close saves; the CSV is whole, rewritten and saveable', async () => {
    tmp = await tempDir()
    const { service, root, clipId } = await newProjectWithOpenClip(tmp.dir, FRAMES)
    const { seq: startSeq } = await service.edit({ clipId, edits: [startingEdit()] })
    await service.closeProject()
    const csv = path.join(root, 'm', 'csv', 'rally_ball.csv')
    expect(await csvLabels(csv)).toHaveLength(FRAMES)

    const acked = await crashAfter(root, clipId, 30, saveDelayMs)

    const { service: after, events } = makeService(fakeOpener(FRAMES))
    await after.openProject({ dir: root })
    const clip = await after.openClip({ clipId })
    const done = clip.seq - startSeq
    // Acknowledged edits are all there; one more may be, written but killed before its acknowledgement.
    expect(done).toBeGreaterThanOrEqual(acked)
    expect(done).toBeLessThanOrEqual(acked + 1)
    const expected = expectedAfter(done)
    expect(columnsEqual(decodeColumns(clip.labels), expected)).toBe(true)

    // The close saves (it would say so if it could not), and the CSV is exactly the recovered labels.
    await expect(after.closeClip({ clipId })).resolves.toEqual({ closed: true })
    expect(events.filter((e) => e.event === 'project.saveProblem')).toEqual([])
    expect(await csvLabels(csv)).toEqual(csvOf(expected))

    // Saveable again: a later edit lands in the CSV, and the next open has nothing left to recover.
    await after.edit({ clipId, edits: [placePoint(FRAMES - 1, 7, 8)] })
    await expect(after.closeProject()).resolves.toEqual({ closed: true })
    const { service: third } = makeService(fakeOpener(FRAMES))
    await third.openProject({ dir: root })
    const again = await third.openClip({ clipId })
    expect(again.recovered).toBe(0)
    expect(again.warnings).toEqual([])
    expect((await csvLabels(csv)).at(-1)).toBe(`${FRAMES - 1}:7.000,8.000`)
    await third.closeProject()
  }, 120_000)
})
