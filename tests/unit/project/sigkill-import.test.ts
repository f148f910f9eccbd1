// Runs in Node (Vitest): labels.import against a real crash. A child process imports a label file into a clip
// (one journaled edit) and is killed with SIGKILL after the acknowledgement, before the CSV write of the save
// that follows, or between the CSV and the state. After it: the import is all there, the clip's CSV on disk is
// current as soon as the project is open (before the clip is opened: training and eval read it from the
// folder), the clip says at its open what was recovered, and it saves again.
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { readLabelCsv } from '@shared/labels/read'
import { decodeColumns, getFrame, placePoint } from '@shared/project'
import { crashAt } from './crash-run'
import { newProjectWithOpenClip } from './open-clip'
import { disposeServices, fakeOpener, makeService, tempDir } from './helpers'

const FRAMES = 200

let tmp: Awaited<ReturnType<typeof tempDir>> | null = null
afterEach(async () => {
  await disposeServices()
  await tmp?.done()
})

/** The frame → "x,y" a CSV on disk holds. */
async function csvPoints(file: string): Promise<Map<number, string>> {
  const read = readLabelCsv(await readFile(file, 'utf8'))
  return new Map(read.points.map((p) => [p.frame, p.visible ? `${p.x.toFixed(3)},${p.y.toFixed(3)}` : '-']))
}

/** What the clip must hold after the import: the person's frames 0–9 kept, the file's rows everywhere else. */
function expected(): Map<number, string> {
  const m = new Map<number, string>()
  for (let f = 0; f < FRAMES; f++) m.set(f, f < 10 ? `${f}.000,5.000` : `${100 + f}.000,${50 + f}.500`)
  return m
}

describe.each([
  ['after the acknowledgement, before any save', 'ack'],
  ['before the save writes the CSV', 'rally_ball.csv'],
  ['between the CSV and the state', 'state.json']
])('SIGKILL during labels.import, %s', (_what, step) => {
  it('keeps the import; the CSV is current once the project opens; the clip saves again', async () => {
    tmp = await tempDir()
    const { service, root, clipId } = await newProjectWithOpenClip(tmp.dir, FRAMES)
    await service.edit({ clipId, edits: Array.from({ length: 10 }, (_, f) => placePoint(f, f, 5)) })
    await service.closeProject()
    const labels = path.join(tmp.dir, 'tracked.csv')
    const rows = Array.from({ length: FRAMES }, (_, f) => `${f},1,${100 + f},${50 + f}.5`)
    await writeFile(labels, ['Frame,Visibility,X,Y', ...rows].join('\n') + '\n')

    const run = await crashAt('import', [root, clipId, labels, step], /^paused /)
    expect(run.signal, run.stderr).toBe('SIGKILL')
    expect(run.lines).toContain(`paused ${step}`)
    const acked = Number(run.lines.find((l) => l.startsWith('ack '))!.split(' ')[1])

    const csv = path.join(root, 'm', 'csv', 'rally_ball.csv')
    const { service: after, events } = makeService(fakeOpener(FRAMES), { saveDelayMs: 600_000 })
    await after.openProject({ dir: root })
    // Current on disk before the clip is opened.
    expect(await csvPoints(csv)).toEqual(expected())
    expect(events.filter((e) => e.event === 'project.saveProblem')).toEqual([])

    const clip = await after.openClip({ clipId })
    expect(clip.seq).toBe(acked)
    expect(clip.recovered).toBe(1)
    expect(clip.warnings.join(' ')).toMatch(/1 edit\(s\) not yet saved .* recovered from the journal/)
    const c = decodeColumns(clip.labels)
    expect(getFrame(c, 3)).toMatchObject({ x: 3, y: 5, source: 'human' })
    expect(getFrame(c, 150)).toMatchObject({ x: 250, y: 200.5, source: 'imported' })

    // Saveable again, and the next open has nothing left to recover.
    await after.edit({ clipId, edits: [placePoint(FRAMES - 1, 7, 8)] })
    await expect(after.closeProject()).resolves.toEqual({ closed: true })
    expect((await csvPoints(csv)).get(FRAMES - 1)).toBe('7.000,8.000')
    const { service: third } = makeService(fakeOpener(FRAMES))
    await third.openProject({ dir: root })
    const again = await third.openClip({ clipId })
    expect(again.recovered).toBe(0)
    expect(again.warnings).toEqual([])
    await third.closeProject()
  }, 120_000)
})
