// Runs in the backend (plain Node): the shapes the project service and the modules beside it share: what it
// needs from its host, the open project and clips it holds, and the snapshot it gives the evaluation.
import type { z } from 'zod'
import type { EventName, EventPayload } from '../../shared/api/contract'
import type { VideoInfo } from '../../shared/api/schemas'
import type { ClipColumns } from '../../shared/project/columns'
import type { ClipSession } from './clip-session'
import type { ProjectLayout } from './layout'
import type { ProjectFile } from './project-file'
import type { FoundClip } from './scan'

export type Info = z.infer<typeof VideoInfo>

/** Where the open project keeps the video engine's frame indexes, and the folder its keys are relative to. */
export interface ProjectIndex {
  dir: string
  root: string
}

/** How the project service reaches the video engine (the frame route serves what this opens). */
export interface VideoOpener {
  /** `index`: the project's own frame-index folder, keyed relative to the project root (see indexFor). */
  open(filePath: string, index: ProjectIndex): Promise<{ videoId: string; info: Info }>
  close(videoId: string): Promise<void>
}

export interface ProjectServiceOptions {
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void
  video: VideoOpener
  /** ffmpeg for dataset export; null when there is none. */
  ffmpegPath(): string | null
  /** ffprobe, to check an uploaded video before it joins the project; null (or left out) when there is none. */
  ffprobePath?(): string | null
  /** Delay before the CSV and state follow an edit (default 1000 ms). */
  saveDelayMs?: number
}

export interface OpenProject {
  layout: ProjectLayout
  file: ProjectFile
  clips: Map<string, FoundClip>
  problems: string[]
  /** What opening the project had to do (a project.json rebuilt), listed with the library's problems. */
  notices: string[]
  /** What label CSVs found on disk did (csv-scan.ts); kept when the same project is opened again. */
  foundCsv: string[]
}

export interface OpenClip {
  session: ClipSession
  videoId: string
  info: Info
}

/** A clip's labels at one moment, with where its video is and the video's facts. */
export interface ClipSnapshot {
  clipId: string
  match: string
  clip: string
  videoPath: string
  info: Info
  columns: ClipColumns
}
