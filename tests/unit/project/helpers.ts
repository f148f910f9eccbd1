// Runs in Node (Vitest): what the project tests share — a temporary folder, and a stand-in for the video
// engine that "opens" any file with a given frame count, so label tests need no ffmpeg.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { EventName, EventPayload } from '@shared/api/contract'
import { ProjectService, type VideoOpener } from '../../../src/backend/project'

export async function tempDir(prefix = 'studio-project-'): Promise<{ dir: string; done(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix))
  return { dir, done: () => rm(dir, { recursive: true, force: true }) }
}

/** A file that passes for a video (the fake opener never reads it). */
export async function fakeVideo(dir: string, name = 'rally.mp4'): Promise<string> {
  const file = path.join(dir, name)
  await writeFile(file, 'not really a video')
  return file
}

export function fakeOpener(frameCount = 100): VideoOpener & { opened: string[] } {
  let n = 0
  const opened: string[] = []
  return {
    opened,
    async open(file) {
      opened.push(file)
      const name = path.basename(file)
      return {
        videoId: `v${++n}-fake`,
        info: {
          path: file,
          name,
          sizeBytes: 1,
          codec: 'h264',
          pixFmt: 'yuv420p',
          width: 1280,
          height: 720,
          codedWidth: 1280,
          codedHeight: 720,
          rotation: 0,
          fps: 30,
          variableFrameRate: false,
          frameCount,
          duration: frameCount / 30,
          startTime: 0,
          keyframeCount: 1
        }
      }
    },
    async close() {}
  }
}

export interface Recorded {
  event: EventName
  payload: unknown
}

const live: ProjectService[] = []

/** Closes every service a test made (pending saves finish), so its folder can be removed. */
export async function disposeServices(): Promise<void> {
  for (const s of live.splice(0)) await s.dispose().catch(() => undefined)
}

export function makeService(
  opener: VideoOpener,
  options: { saveDelayMs?: number; ffmpegPath?: string | null; ffprobePath?: string | null } = {}
): { service: ProjectService; events: Recorded[] } {
  const events: Recorded[] = []
  const service = new ProjectService({
    emit: <E extends EventName>(event: E, payload: EventPayload<E>) => void events.push({ event, payload }),
    video: opener,
    ffmpegPath: () => options.ffmpegPath ?? null,
    ffprobePath: () => options.ffprobePath ?? null,
    saveDelayMs: options.saveDelayMs ?? 50
  })
  live.push(service)
  return { service, events }
}
