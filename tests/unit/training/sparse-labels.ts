// Runs in Node (Vitest): labels as a person leaves them — a generated clip labels every frame; these tests keep
// only the first LABELLED_FRAMES of each clip, so some frames are unknown (what "label these next" is about).
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { readLabelCsv } from '@shared/labels/read'
import { writeLabelCsv } from '@shared/labels/write'

/** Frames 0..LABELLED_FRAMES-1 of each generated 60-frame clip keep their labels. */
export const LABELLED_FRAMES = 40

/** Drops the label rows of frames from `end` on in the match's generated clip. */
export async function keepLabelsBefore(projectDir: string, match: string, end: number): Promise<void> {
  const csv = path.join(projectDir, match, 'csv', 'clip_01_ball.csv')
  const { points } = readLabelCsv(await readFile(csv, 'utf8'))
  await writeFile(csv, writeLabelCsv(points.filter((p) => p.frame < end)))
}
