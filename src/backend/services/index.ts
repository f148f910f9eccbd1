// Runs in the backend (plain Node): assembles one backend — the contract's handlers over the services —
// for whichever host runs it (Electron's utilityProcess, browser mode's server, the command line).
import os from 'node:os'
import path from 'node:path'
import type { Result } from '../../shared/api/contract'
import { ApiError } from '../../shared/api/errors'
import { locateFfmpeg, type FfmpegInfo } from '../ffmpeg/locate'
import type { Handlers } from '../rpc/handlers'
import { EventBus } from '../rpc/event-bus'
import { ProjectService } from '../project'
import { TrackingService } from '../tracking/tracking-service'
import { defaultTrainingPackageDir, TrainingService } from '../training/training-service'
import { listFolder } from './fs-service'
import { VideoService } from './video-service'

export interface BackendOptions {
  host: Result<'app.info'>['host']
  version: string
  /** Where the studio keeps caches (frame indexes) when a video has no project beside it. */
  cacheDir: string
  ffmpegSetting?: string | null
  /** A Python with PyTorch, for training (else SHUTTLE_PYTHON, else python3). */
  pythonSetting?: string | null
  demoVideo?: string | null
  /** Where the path picker starts. */
  startDir?: string
}

export interface Backend {
  handlers: Handlers
  events: EventBus
  frame(videoId: string, n: number, signal?: AbortSignal): Promise<Buffer>
  dispose(): void
}

export async function createBackend(opts: BackendOptions): Promise<Backend> {
  const events = new EventBus()
  let ffmpeg: FfmpegInfo | null = null
  let ffmpegProblem: string | null = null
  try {
    ffmpeg = await locateFfmpeg(opts.ffmpegSetting)
  } catch (err) {
    ffmpegProblem = err instanceof ApiError ? err.message : String(err)
  }
  const video = new VideoService(ffmpeg, ffmpegProblem, opts.cacheDir, events)
  const tracking = new TrackingService({ ffmpeg, ffmpegProblem, cacheDir: opts.cacheDir }, events)
  const training = new TrainingService(
    {
      packageDir: defaultTrainingPackageDir(),
      runsDir: path.join(opts.cacheDir, 'training-runs'),
      modelsDir: path.join(opts.cacheDir, 'models'),
      pythonSetting: opts.pythonSetting ?? null
    },
    events
  )

  // The project's own index folder (.studio/index) needs VideoService to take one per open; until then its
  // videos are indexed in the app's cache folder like any other.
  const projects = new ProjectService({
    emit: (e, p) => events.emit(e, p),
    video: {
      open: (file) => video.openVideo({ path: file }),
      close: (videoId) => video.closeVideo({ videoId }).then(() => undefined)
    },
    ffmpegPath: () => ffmpeg?.ffmpegPath ?? null
  })

  const handlers = {
    'app.info': async () => ({
      version: opts.version,
      host: opts.host,
      platform: `${process.platform}-${process.arch}`,
      ffmpeg,
      ffmpegProblem,
      demoVideo: opts.demoVideo ?? null
    }),
    'video.open': (p) => video.openVideo(p),
    'video.close': (p) => video.closeVideo(p),
    'video.frameTimes': (p) => video.frameTimes(p),
    'video.prefetch': (p) => video.prefetch(p),
    'fs.list': (p) => listFolder(p, opts.startDir ?? os.homedir()),
    'training.status': () => training.status(),
    'training.start': (p) => training.start(p),
    'training.stop': (p) => training.stop(p),
    'models.list': () => tracking.listModels(),
    'track.start': (p) => tracking.start(p),
    'track.cancel': (p) => tracking.cancel(p),
    'track.result': (p) => tracking.result(p),
    'project.create': (p) => projects.create(p),
    'project.open': (p) => projects.openProject(p),
    'project.library': () => projects.library(),
    'project.close': () => projects.closeProject(),
    'project.addVideos': (p) => projects.addVideos(p),
    'project.renameMatch': (p) => projects.renameMatch(p),
    'project.removeClip': (p) => projects.removeClip(p),
    'clip.open': (p) => projects.openClip(p),
    'clip.close': (p) => projects.closeClip(p),
    'labels.edit': (p) => projects.edit(p),
    'labels.import': (p) => projects.importLabels(p),
    'labels.export': (p) => projects.exportLabels(p),
    'dataset.export': (p) => projects.exportDataset(p),
    'dataset.cancelExport': (p) => projects.cancelExport(p)
  } satisfies Handlers

  return {
    handlers,
    events,
    frame: (id, n, signal) => video.frame(id, n, signal),
    dispose: () => {
      void projects.dispose()
      training.dispose()
      tracking.dispose()
      video.dispose()
    }
  }
}
