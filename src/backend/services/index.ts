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
import { bundledModelsDir, defaultModelDirs, type ModelDirs } from '../tracking/model-catalog'
import { EvaluationService } from '../evaluation/evaluation-service'
import { projectModelsDir } from '../training/project-models'
import { clipDisagreements } from '../training/clip-disagreements'
import { defaultTrainingPackageDir, TrainingService } from '../training/training-service'
import { RECENT_PROJECTS_FILE, RecentProjects } from '../project/recent-projects'
import { listFolder, pickerStartDir } from '../fs/fs-service'
import { AccessScope } from '../fs/access-scope'
import { scopedHandlers } from '../fs/access-scope-methods'
import { VideoService } from '../video/video-service'
import type { Preview } from '../video/keyframe-previews'

export interface BackendOptions {
  host: Result<'app.info'>['host']
  version: string
  /** Where the studio keeps caches (frame indexes) when a video has no project beside it. */
  cacheDir: string
  ffmpegSetting?: string | null
  /** A Python with PyTorch, for training (else SHUTTLE_PYTHON, else python3). */
  pythonSetting?: string | null
  demoVideo?: string | null
  /** Where the path picker starts when no project is open and none was opened before (else the home folder). */
  startDir?: string
}

export interface Backend {
  handlers: Handlers
  events: EventBus
  frame(videoId: string, n: number, signal?: AbortSignal): Promise<Buffer>
  /** What can be shown at once while frame n decodes, and which frame it is; null when nothing is near. */
  framePreview(videoId: string, n: number): Preview | null
  /** Browser mode's upload route: a dropped video's bytes into the open project (see ProjectService). */
  receiveVideo: ProjectService['receiveVideo']
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
  /** The open project's folder (set when one opens, cleared when it closes). */
  let openProjectDir: string | null = null
  // The models the tracker lists: the bundled ones, the cache folder's, and the open project's adapted ones.
  const modelDirs: ModelDirs = {
    ...defaultModelDirs(opts.cacheDir),
    get project() {
      return openProjectDir ? projectModelsDir(openProjectDir) : null
    }
  }
  // A finished track of a project clip is also kept in the project's .studio/predictions.
  const tracking = new TrackingService(
    {
      ffmpeg,
      ffmpegProblem,
      cacheDir: opts.cacheDir,
      modelDirs,
      predictionsFile: (file, modelHash) => projects.predictionFileFor(file, modelHash)
    },
    events
  )
  // Adapts the project's tracking model to its labels; the adapted models live in the project (.studio/models).
  const training = new TrainingService(
    {
      packageDir: defaultTrainingPackageDir(),
      pythonSetting: opts.pythonSetting ?? null,
      modelDirs,
      library: async () => (openProjectDir ? projects.library() : null),
      saveOpenClips: async () => (openProjectDir ? projects.saveOpenClips() : undefined),
      ffprobe: () => ffmpeg?.ffprobePath ?? null
    },
    events
  )

  // The project's videos are indexed in its own .studio/index (so the indexes travel with the project); loose
  // videos in the app's cache folder.
  const projects = new ProjectService({
    emit: (e, p) => events.emit(e, p),
    video: {
      open: (file, index) => video.openVideo({ path: file }, index),
      close: (videoId) => video.closeVideo({ videoId }).then(() => undefined)
    },
    ffmpegPath: () => ffmpeg?.ffmpegPath ?? null,
    ffprobePath: () => ffmpeg?.ffprobePath ?? null
  })
  // Scores models on the project's labels through the tracking service (its jobs and cache) and the shared metrics.
  const evaluation = new EvaluationService({
    projects,
    tracker: tracking,
    bus: events,
    modelDirs,
    trackingProblem: () => (ffmpeg ? null : (ffmpegProblem ?? 'ffmpeg is not available.'))
  })

  // The projects opened lately (in the cache folder, so tests and CI never touch a real home): the Library lists
  // them and the path picker starts at the open project, else the last one opened.
  const recent = new RecentProjects(path.join(opts.cacheDir, RECENT_PROJECTS_FILE))
  const opened = async (library: Result<'project.open'>): Promise<Result<'project.open'>> => {
    openProjectDir = library.dir
    // The project is open either way: a list that cannot be written is no reason to fail the open.
    await recent.remember(library.dir, library.name).catch((err) => console.warn(String(err)))
    return library
  }
  const pickerStart = async (): Promise<string> => {
    const last = (await recent.list().catch(() => [])).find((r) => !r.missing)
    return pickerStartDir([openProjectDir, last?.dir, opts.startDir])
  }

  const handlers = {
    'app.info': async () => ({
      version: opts.version,
      host: opts.host,
      platform: `${process.platform}-${process.arch}`,
      ffmpeg,
      ffmpegProblem,
      demoVideo: opts.demoVideo ?? null
    }),
    'video.open': (p) => video.openVideo(p, projects.indexFor(p.path) ?? undefined),
    'video.close': (p) => video.closeVideo(p),
    'video.frameTimes': (p) => video.frameTimes(p),
    'video.prefetch': (p) => video.prefetch(p),
    'video.repeatedFrames': (p) => video.repeatedFrames(p),
    'fs.list': (p) => listFolder(p, pickerStart),
    'recent.list': async () => ({ projects: await recent.list() }),
    'recent.forget': async ({ dir }) => {
      await recent.forget(dir)
      return { projects: await recent.list() }
    },
    'training.status': () => training.status(),
    'training.summary': () => training.summary(),
    'training.suggest': (p) => training.suggest(p),
    'training.start': (p) => training.start(p),
    'training.resume': (p) => training.resume(p),
    'training.discard': (p) => training.discard(p),
    'training.cancel': (p) => training.cancel(p),
    'models.list': () => tracking.listModels(),
    'track.start': (p) => tracking.start(p),
    'track.cancel': (p) => tracking.cancel(p),
    'track.result': (p) => tracking.result(p),
    'track.disagreements': (p) => clipDisagreements(openProjectDir, p.clipId),
    'evaluation.start': (p) => evaluation.start(p),
    'evaluation.cancel': (p) => evaluation.cancel(p),
    'evaluation.result': (p) => evaluation.result(p),
    'evaluation.frames': (p) => evaluation.frames(p),
    'project.create': (p) => projects.create(p).then(opened),
    'project.open': (p) => projects.openProject(p).then(opened),
    'project.library': () => projects.library(),
    'project.close': () => projects.closeProject().finally(() => (openProjectDir = null)),
    'project.addVideos': (p) => projects.addVideos(p),
    'project.renameMatch': (p) => projects.renameMatch(p),
    'project.removeClip': (p) => projects.removeClip(p),
    'clip.open': (p) => projects.openClip(p),
    'clip.close': (p) => projects.closeClip(p),
    'labels.edit': (p) => projects.edit(p),
    'labels.import': (p) => projects.importLabels(p),
    'labels.export': (p) => projects.exportLabels(p),
    'dataset.export': (p) => projects.exportDataset(p),
    'dataset.cancel': (p) => projects.cancelExport(p)
  } satisfies Handlers

  // A page (browser mode, the desktop app) reaches only what the person opened or chose, the app's own folders
  // and the demo; the command line is the person at a shell, naming their own files (fs/access-scope.ts).
  const scope =
    opts.host === 'cli'
      ? null
      : new AccessScope({
          reach: [os.homedir(), os.tmpdir()],
          roots: [
            opts.cacheDir,
            bundledModelsDir(),
            opts.demoVideo,
            opts.startDir,
            ...(await recent.list().catch(() => [])).map((r) => r.dir)
          ]
        })

  return {
    handlers: scope ? scopedHandlers(handlers, scope) : handlers,
    events,
    frame: (id, n, signal) => video.frame(id, n, signal),
    framePreview: (id, n) => video.framePreview(id, n),
    receiveVideo: (upload, body, maxBytes) => projects.receiveVideo(upload, body, maxBytes),
    dispose: () => {
      void projects.dispose()
      training.dispose()
      evaluation.dispose()
      tracking.dispose()
      video.dispose()
    }
  }
}
