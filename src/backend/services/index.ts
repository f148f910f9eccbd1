// Runs in the backend (plain Node): assembles one backend — the contract's handlers over the services —
// for whichever host runs it (Electron's utilityProcess, browser mode's server, the command line).
import os from 'node:os'
import type { Result } from '../../shared/api/contract'
import { ApiError } from '../../shared/api/errors'
import { locateFfmpeg, type FfmpegInfo } from '../ffmpeg/locate'
import type { Handlers } from '../rpc/handlers'
import { EventBus } from '../rpc/event-bus'
import { listFolder } from './fs-service'
import { VideoService } from './video-service'

export interface BackendOptions {
  host: Result<'app.info'>['host']
  version: string
  /** Where the studio keeps caches (frame indexes) when a video has no project beside it. */
  cacheDir: string
  ffmpegSetting?: string | null
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
    'fs.list': (p) => listFolder(p, opts.startDir ?? os.homedir())
  } satisfies Handlers

  return {
    handlers,
    events,
    frame: (id, n, signal) => video.frame(id, n, signal),
    dispose: () => video.dispose()
  }
}
