// Runs in Node (a child process of the sigkill-*.test.ts files, through tsx): drives the real project service
// through one long operation and stops at a named step, printing "paused <step>" and waiting there to be killed
// with SIGKILL. Steps are the durable writes the operation makes (disk.writeAtomic, the one replaceable write
// of the project code, is wrapped to pause before the write the step names) or a point of the caller's own.
import { setInterval } from 'node:timers'
import path from 'node:path'
import { disk } from '../../../src/backend/project/disk'
import { ProjectService } from '../../../src/backend/project'
import { fakeOpener } from './helpers'

const FRAMES = 200

function pause(step: string): Promise<never> {
  process.stdout.write(`paused ${step}\n`)
  setInterval(() => undefined, 60_000)
  return new Promise<never>(() => undefined)
}

/** Pauses before the `nth` atomic write of a file whose name is `base` (from the moment this is called). */
function pauseAtWrite(step: string, base: string, nth = 1): void {
  const write = disk.writeAtomic
  let seen = 0
  disk.writeAtomic = async (file, data) => {
    if (path.basename(file) === base && ++seen === nth) await pause(step)
    return write(file, data)
  }
}

function service(o: { ffmpeg?: string; ffprobe?: string } = {}): ProjectService {
  return new ProjectService({
    emit: () => undefined,
    video: fakeOpener(FRAMES),
    ffmpegPath: () => o.ffmpeg ?? null,
    ffprobePath: () => o.ffprobe ?? null,
    // No save on its own: only the steps below write the clip's files.
    saveDelayMs: 600_000
  })
}

type Scenario = (args: string[]) => Promise<void>

const scenarios: Record<string, Scenario> = {
  /** import <project> <clipId> <file> <step>: labels.import into a clip, then its save; the step is "ack" or
   *  the name of the file whose write the save pauses before (the clip's CSV, state.json). */
  async import([dir, clipId, file, step]) {
    const s = service()
    await s.openProject({ dir: dir! })
    await s.openClip({ clipId: clipId! })
    const read = {
      clipId: clipId!,
      path: file!,
      format: 'auto',
      keepHuman: true,
      onlyUnlabelled: false
    } as const
    const done = await s.importLabels({ ...read, apply: true })
    process.stdout.write(`ack ${done.seq}\n`)
    if (step === 'ack') await pause('ack')
    pauseAtWrite(step!, step!)
    await s.closeClip({ clipId: clipId! })
    process.stdout.write('closed\n')
  },
  /** rename <project> <from> <to> <nth>: project.renameMatch, paused at its nth write of project.json. */
  async rename([dir, from, to, nth]) {
    const s = service()
    await s.openProject({ dir: dir! })
    pauseAtWrite(`project.json#${nth}`, 'project.json', Number(nth))
    await s.renameMatch({ from: from!, to: to! })
    process.stdout.write('renamed\n')
  },
  /** upload <project> <match> <video> <ffprobe> <half|all>: a browser-mode upload, paused half way through its
   *  bytes, or sent whole (and checked by the ffprobe given). */
  async upload([dir, match, video, ffprobe, step]) {
    const { readFile } = await import('node:fs/promises')
    const bytes = await readFile(video!)
    const s = service({ ffprobe })
    await s.openProject({ dir: dir! })
    async function* body(): AsyncGenerator<Uint8Array> {
      yield bytes.subarray(0, bytes.length >> 1)
      if (step === 'half') await pause('half')
      yield bytes.subarray(bytes.length >> 1)
    }
    const upload = { match: match!, fileName: path.basename(video!), bytes: bytes.length }
    await s.receiveVideo(upload, body(), bytes.length * 2)
    process.stdout.write('added\n')
  },
  /** export <project> <out> <ffmpeg>: dataset.export (the ffmpeg given may stop this process itself). */
  async export([dir, out, ffmpeg]) {
    const s = service({ ffmpeg })
    await s.openProject({ dir: dir! })
    const job = await s.exportDataset({
      dir: out!,
      valFraction: 0.5,
      unlabelled: 'omit',
      reviewedOnly: false,
      jpegQuality: 2
    })
    process.stdout.write(`started ${job.jobId}\n`)
    setInterval(() => undefined, 60_000)
  },
  /** adapt <project> <python>: an adaptation job on the project (the python given may stop this process itself). */
  async adapt([projectDir, python]) {
    const { EventBus } = await import('../../../src/backend/rpc/event-bus')
    const { TrainingService, defaultTrainingPackageDir } =
      await import('../../../src/backend/training/training-service')
    const { bundledModelsDir } = await import('../../../src/backend/tracking/model-catalog')
    const bus = new EventBus()
    bus.subscribe((m) => process.stdout.write(`${m.event} ${JSON.stringify(m.payload)}\n`))
    const library = { dir: projectDir!, name: 'p', matches: [], problems: [] }
    const training = new TrainingService(
      {
        packageDir: defaultTrainingPackageDir(),
        pythonSetting: python!,
        modelDirs: { bundled: bundledModelsDir(), user: null },
        library: async () => library
      },
      bus
    )
    await training.start({ minutes: 0.05 })
    setInterval(() => undefined, 60_000)
  }
}

const [name, ...args] = process.argv.slice(2)
const run = name ? scenarios[name] : undefined
if (!run) throw new Error(`usage: crash-steps.ts <${Object.keys(scenarios).join('|')}> …`)
void run(args).catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`)
  process.exit(1)
})
