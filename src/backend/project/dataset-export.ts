// Runs in the backend (plain Node): exports the project as a TrackNet training set — every frame of each clip
// with labels as a JPEG (ffmpeg, every decoded frame in order, none dropped or repeated, so image N is frame N)
// and the clip's CSV — into <dir>/<train|val>/<match>/{frame/<clip>/<n>.jpg, csv/<clip>_ball.csv}, with the
// split made by match so no rally of a validation match is seen in training. Each export is a job of the job
// registry (dataset.progress events, dataset.cancel). Everything is written into <dir>/.exporting first and moved
// into place only once every clip is done: a reader of <dir> (training, eval) never finds a half-written
// dataset there, whether the export failed, was cancelled or the studio was killed (a later export into the
// folder clears what such a crash left in .exporting).
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { mkdir, readdir, rename, rm } from 'node:fs/promises'
import path from 'node:path'
import { ApiError } from '../../shared/api/errors'
import { writeLabelCsv } from '../../shared/labels/write'
import { labelledPoints } from '../../shared/project/formats/label-io'
import type { ClipColumns } from '../../shared/project/columns'
import { disk } from './disk'
import { diskError } from './disk-errors'
import { LABEL_SUFFIX } from './layout'
import { JobRegistry } from '../jobs/registry'
import type { EventPayload } from '../../shared/api/contract'

export interface ExportClip {
  match: string
  clip: string
  videoPath: string
  columns: ClipColumns
}

export interface DatasetExportOptions {
  dir: string
  ffmpegPath: string
  unlabelled: 'omit' | 'not-visible'
  jpegQuality: number
  signal: AbortSignal
  onProgress(done: number, total: number, message: string): void
}

/** Validation matches: the ones named, or about `fraction` of them picked by a hash of their names (stable). */
export function splitMatches(
  matches: readonly string[],
  valMatches: readonly string[] | undefined,
  fraction: number
): { train: string[]; val: string[] } {
  if (valMatches) {
    const unknown = valMatches.filter((m) => !matches.includes(m))
    if (unknown.length)
      throw new ApiError('bad-request', `No match named ${unknown.join(', ')} in this project.`)
    return {
      train: matches.filter((m) => !valMatches.includes(m)),
      val: matches.filter((m) => valMatches.includes(m))
    }
  }
  const n = matches.length >= 2 && fraction > 0 ? Math.max(1, Math.round(matches.length * fraction)) : 0
  const hash = (m: string): string => createHash('sha1').update(m).digest('hex')
  const val = [...matches].sort((a, b) => (hash(a) < hash(b) ? -1 : 1)).slice(0, n)
  return { train: matches.filter((m) => !val.includes(m)), val: matches.filter((m) => val.includes(m)) }
}

/** Where an export is written until it is whole, inside the export's folder. */
export const STAGING = '.exporting'
const CANCELLED = 'The export was cancelled; nothing was written.'

export async function ensureEmptyDir(dir: string): Promise<void> {
  const entries = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return []
    throw diskError(err, 'read', dir)
  })
  // An export the studio never finished (it was killed) left only its staging folder: nothing of it is kept.
  if (entries.length === 1 && entries[0] === STAGING) {
    await rm(path.join(dir, STAGING), { recursive: true, force: true }).catch((err) => {
      throw diskError(err, 'clear', path.join(dir, STAGING))
    })
    return
  }
  if (entries.length)
    throw new ApiError('bad-request', `${dir} is not empty: pick a new or empty folder for the export.`)
  await mkdir(dir, { recursive: true }).catch((err) => {
    throw diskError(err, 'create', dir)
  })
}

/** An export's own fields (the registry holds its id, state and message). */
interface Exporting {
  dir: string
  done: number
  total: number
}

/** Finished exports remembered (only their last state is ever asked for, through the events). */
const KEEP_DONE = 4

/** The dataset export jobs of a backend: start, cancel, progress as `dataset.progress`. */
export class DatasetExports {
  private readonly jobs: JobRegistry<Exporting>

  constructor(emit: (event: 'dataset.progress', payload: EventPayload<'dataset.progress'>) => void) {
    this.jobs = new JobRegistry<Exporting>({
      keepFinished: KEEP_DONE,
      cancelledMessage: CANCELLED,
      publish: (job) =>
        emit('dataset.progress', {
          jobId: job.jobId,
          state: job.state,
          done: job.data.done,
          total: job.data.total,
          ...(job.message ? { message: job.message } : {})
        })
    })
  }

  start(
    jobId: string,
    clips: readonly ExportClip[],
    split: { train: string[]; val: string[] },
    o: Omit<DatasetExportOptions, 'signal' | 'onProgress'>
  ): void {
    const total = clips.reduce((n, c) => n + c.columns.frameCount, 0)
    this.jobs.start(
      jobId,
      { dir: o.dir, done: 0, total },
      async (ctx) => {
        await exportDataset(clips, split, {
          ...o,
          signal: ctx.signal,
          onProgress: (done, _total, clip) => {
            ctx.job.data.done = done
            ctx.job.message = clip
            ctx.progress()
          }
        })
        return { message: `Exported to ${o.dir}.` }
      },
      { state: 'running' }
    )
  }

  cancel(jobId: string): boolean {
    return this.jobs.cancel(jobId)
  }

  dispose(): void {
    this.jobs.dispose()
  }
}

export async function exportDataset(
  clips: readonly ExportClip[],
  split: { train: string[]; val: string[] },
  o: DatasetExportOptions
): Promise<void> {
  const staging = path.join(o.dir, STAGING)
  try {
    await writeDataset(clips, split, { ...o, dir: staging })
    // Each part moves in one rename; the folder holds a part only once all of the export is written.
    for (const part of ['train', 'val']) {
      const from = path.join(staging, part)
      if (existsSync(from)) await rename(from, path.join(o.dir, part))
    }
  } catch (err) {
    throw err instanceof ApiError ? err : diskError(err, 'write the export into', o.dir)
  } finally {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined)
  }
}

async function writeDataset(
  clips: readonly ExportClip[],
  split: { train: string[]; val: string[] },
  o: DatasetExportOptions
): Promise<void> {
  const total = clips.reduce((n, c) => n + c.columns.frameCount, 0)
  let done = 0
  for (const c of clips) {
    if (o.signal.aborted) throw new ApiError('cancelled', CANCELLED)
    const part = split.val.includes(c.match) ? 'val' : 'train'
    const base = path.join(o.dir, part, c.match)
    const frameDir = path.join(base, 'frame', c.clip)
    const csvFile = path.join(base, 'csv', c.clip + LABEL_SUFFIX)
    await mkdir(frameDir, { recursive: true })
    await mkdir(path.dirname(csvFile), { recursive: true })
    const csv =
      o.unlabelled === 'omit'
        ? writeLabelCsv(labelledPoints(c.columns))
        : writeLabelCsv(labelledPoints(c.columns), { frameCount: c.columns.frameCount })
    await disk.writeAtomic(csvFile, csv).catch((err) => {
      throw diskError(err, 'write', csvFile)
    })
    const start = done
    await extractFrames(c.videoPath, frameDir, o, (n) => {
      done = start + Math.min(n, c.columns.frameCount)
      o.onProgress(done, total, `${c.match}/${c.clip}`)
    })
    done = start + c.columns.frameCount
    o.onProgress(done, total, `${c.match}/${c.clip}`)
  }
}

function extractFrames(
  video: string,
  outDir: string,
  o: DatasetExportOptions,
  onFrames: (n: number) => void
): Promise<void> {
  return new Promise((resolve, reject) => {
    const args = [
      ...['-hide_banner', '-nostdin', '-v', 'error', '-i', video, '-map', '0:v:0'],
      // passthrough: one image per decoded frame, no frame dropped or duplicated to fit a rate.
      ...['-fps_mode', 'passthrough', '-q:v', String(o.jpegQuality), '-start_number', '0'],
      ...['-progress', 'pipe:1', path.join(outDir, '%d.jpg')]
    ]
    const child = spawn(o.ffmpegPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let err = ''
    const abort = (): void => void child.kill('SIGKILL')
    o.signal.addEventListener('abort', abort, { once: true })
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      const m = /frame=(\d+)\s*$/m.exec(text)
      if (m) onFrames(Number(m[1]))
    })
    child.stderr.setEncoding('utf8').on('data', (t: string) => (err = (err + t).slice(-2000)))
    child.on('error', (e) => reject(new ApiError('no-ffmpeg', `ffmpeg could not start: ${e.message}`)))
    child.on('close', (code) => {
      o.signal.removeEventListener('abort', abort)
      if (o.signal.aborted) reject(new ApiError('cancelled', CANCELLED))
      else if (code === 0) resolve()
      else reject(new ApiError('io', `ffmpeg failed on ${video}: ${err.trim() || `exit ${code}`}`))
    })
  })
}
