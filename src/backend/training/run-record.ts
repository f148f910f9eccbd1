// Runs in the backend (plain Node): the record of an adaptation run, <project>/.studio/runs/<job>/run.json —
// what it adapts, into which name, for how long — written when the run starts and marked finished when its
// model is saved (or it failed for good). A run with a checkpoint (last.pt) and no finished mark was cut short
// by a crash or a closed studio: the Train tab offers to resume it.
import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { z } from 'zod'
import { writeFileAtomic } from '../fs/atomic-write'
import { projectRunsDir } from './project-models'

export const RunRecord = z.object({
  version: z.literal(1),
  jobId: z.string().regex(/^adapt-[a-z0-9-]+$/),
  /** The model adapted from, as the user chose it (an id or a path), and the file its weights come from. */
  base: z.string(),
  basePt: z.string(),
  name: z.string(),
  minutes: z.number().positive(),
  maxFrames: z.number().int().positive().nullable(),
  startedAt: z.number(),
  finished: z.boolean()
})
export type RunRecord = z.infer<typeof RunRecord>

export function runRecordFile(runDir: string): string {
  return path.join(runDir, 'run.json')
}

export async function writeRunRecord(runDir: string, r: RunRecord): Promise<void> {
  await writeFileAtomic(runRecordFile(runDir), JSON.stringify(r, null, 2) + '\n')
}

/** The record, or null when it is missing or not one this module wrote. */
export async function readRunRecord(runDir: string): Promise<RunRecord | null> {
  try {
    const parsed = RunRecord.safeParse(JSON.parse(await readFile(runRecordFile(runDir), 'utf8')))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

/** Runs of the project that can be resumed (a checkpoint, not finished), newest first. */
export async function unfinishedRuns(root: string): Promise<RunRecord[]> {
  const dir = projectRunsDir(root)
  const names = await readdir(dir).catch(() => [] as string[])
  const out: RunRecord[] = []
  for (const n of names) {
    const r = await readRunRecord(path.join(dir, n))
    if (r && !r.finished && r.jobId === n && existsSync(path.join(dir, n, 'last.pt'))) out.push(r)
  }
  return out.sort((a, b) => b.startedAt - a.startedAt)
}
