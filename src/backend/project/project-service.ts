// Runs in the backend (plain Node): the project and label methods of the contract. Holds the one open project
// and its open clips; everything on disk goes through the modules beside this one.
import { stat } from 'node:fs/promises'
import path from 'node:path'
import type { Params, Result } from '../../shared/api/contract'
import { ApiError } from '../../shared/api/errors'
import { cloneColumns } from '../../shared/project/columns'
import { encodeColumns } from '../../shared/project/wire'
import { MatchName } from '../../shared/api/methods/project'
import { addVideos, trashClip } from './clip-files'
import { DatasetExports } from './dataset-export'
import { startDatasetExport } from './dataset-export-start'
import { diskError } from './disk-errors'
import { exportLabelFile, importLabelFile } from './label-files'
import { ProjectLayout, refuseStudioState } from './layout'
import type { Library } from './library'
import { renameMatchDurably, settleInterruptedRename } from './match-rename'
import { OpenClips } from './open-clips'
import { createProjectOnDisk, probeWritable, saveUnsavedEdits } from './project-lifecycle'
import { refreshLibrary } from './project-refresh'
import { openProjectFile } from './project-rebuild'
import { ProjectState } from './project-state'
import type { OpenClip, ClipSnapshot, ProjectIndex, ProjectServiceOptions } from './project-types'
import { clearInterruptedUploads, probeWith, writeUploadedVideo } from './video-upload'
import { indexFor, predictionFileFor } from './video-places'
import { opencvNumbering } from '../video/opencv-frame-numbers'

export type { ClipSnapshot, ProjectIndex, ProjectServiceOptions, VideoOpener } from './project-types'

export class ProjectService {
  private readonly state = new ProjectState()
  private readonly clips: OpenClips
  private readonly exports = new DatasetExports((e, p) => this.o.emit(e, p))
  /** How OpenCV numbers an open clip's video, per clip: a long video's demux takes seconds, and every Check of
   *  a file on a video that drops frames asks (see importLabels). Dropped when the clip closes. */
  private readonly opencvMaps = new Map<string, Promise<Int32Array>>()

  constructor(private readonly o: ProjectServiceOptions) {
    this.clips = new OpenClips(this.state, o)
  }

  async create(params: Params<'project.create'>): Promise<Library> {
    return this.openProject({ dir: await createProjectOnDisk(params) })
  }

  async openProject({ dir }: Params<'project.open'>): Promise<Library> {
    const layout = new ProjectLayout(path.resolve(dir))
    const opened = await openProjectFile(layout).catch((err) => {
      throw diskError(err, 'open', layout.projectFile)
    })
    if (!opened) {
      throw new ApiError(
        'not-found',
        `${layout.root} is not a project (no .studio/project.json). Create a project there to use it as one.`
      )
    }
    await probeWritable(layout)
    // A CSV counted while the project was open is not counted again: its report must not go with the reopen.
    const foundCsv = this.state.project?.layout.root === layout.root ? this.state.project.foundCsv : []
    // A clip of the previous project that could not be saved said so (project.saveProblem); its journal keeps it.
    await this.closeProject().catch(() => undefined)
    const notices = opened.notice ? [opened.notice] : []
    this.state.project = { layout, file: opened.file, clips: new Map(), problems: [], notices, foundCsv }
    this.state.recoveredAtOpen.clear()
    if (settleInterruptedRename(layout, opened.file)) await this.state.writeFile()
    await clearInterruptedUploads(layout)
    await refreshLibrary(this.state, this.clips)
    await saveUnsavedEdits(this.state, this.clips)
    return refreshLibrary(this.state, this.clips)
  }

  async library(): Promise<Library> {
    return refreshLibrary(this.state, this.clips)
  }

  /**
   * Writes every open clip's pending edits to its CSV now instead of after the save delay: whatever reads the
   * project's CSVs from disk (an adaptation, its data summary) must see the last correction the person made.
   * Rejects, naming the clip, when one cannot be saved.
   */
  async saveOpenClips(): Promise<void> {
    for (const [id, pending] of this.clips.entries()) {
      const c = await pending.catch(() => null)
      if (!c) continue
      await c.session.flush().catch((err: Error) => {
        throw new ApiError('io', `The edits of ${id} could not be saved to its CSV (${err.message}).`)
      })
    }
  }

  /** Closes every clip and the project; rejects, once all is closed, when a clip's files could not be saved. */
  async closeProject(): Promise<{ closed: boolean }> {
    if (!this.state.project) return { closed: false }
    const unsaved: string[] = []
    for (const id of this.clips.ids()) {
      await this.closeClip({ clipId: id }).catch((err: Error) => unsaved.push(err.message))
    }
    await this.state.writesDone()
    this.state.project = null
    if (unsaved.length) {
      throw new ApiError(
        'io',
        `The project was closed, but ${unsaved.length} clip(s) could not be saved: ${unsaved.join(' ')}`
      )
    }
    return { closed: true }
  }

  async addVideos({ match, paths, mode }: Params<'project.addVideos'>): Promise<Result<'project.addVideos'>> {
    const p = this.state.need()
    const probe = probeWith(this.o.ffprobePath?.() ?? null)
    const names = await addVideos(p.layout, match, paths, mode, [...p.clips.values()], probe)
    const library = await refreshLibrary(this.state, this.clips)
    const added = library.matches.find((m) => m.name === match)!.clips.filter((c) => names.includes(c.clip))
    return { added, library }
  }

  /**
   * Adds a video that arrives as bytes (browser mode's drop) to a match: written into <match>/video under its
   * own name; a clip of that name with a video already is refused, not renamed, so the sender can say so.
   */
  async receiveVideo(
    upload: { match: string; fileName: string; bytes: number },
    body: AsyncIterable<Uint8Array>,
    maxBytes: number
  ): Promise<Result<'project.addVideos'>> {
    const p = this.state.need()
    const parsed = MatchName.safeParse(upload.match)
    if (!parsed.success) {
      throw new ApiError('bad-request', parsed.error.issues[0]?.message ?? 'give a match name')
    }
    const match = parsed.data
    // Rescanned first: the duplicate check must see files added since the library was last read.
    await refreshLibrary(this.state, this.clips)
    const clip = await writeUploadedVideo(
      {
        layout: p.layout,
        match,
        fileName: upload.fileName,
        bytes: upload.bytes,
        maxBytes,
        existing: [...p.clips.values()],
        probe: probeWith(this.o.ffprobePath?.() ?? null)
      },
      body
    )
    const library = await refreshLibrary(this.state, this.clips)
    const added = library.matches.find((m) => m.name === match)!.clips.filter((c) => c.clip === clip)
    return { added, library }
  }

  /** Where a video's frame index belongs (see video-places.ts). */
  indexFor(videoPath: string): ProjectIndex | null {
    return indexFor(this.state.project, videoPath)
  }

  /** Where the tracker keeps its track of a video of one of the open project's clips (see video-places.ts). */
  predictionFileFor(videoPath: string, modelHash: string): string | null {
    return predictionFileFor(this.state.project, videoPath, modelHash)
  }

  async renameMatch({ from, to }: Params<'project.renameMatch'>): Promise<Library> {
    const p = this.state.need()
    // Only a folder of the project is a match (the layout refuses names that leave it or reach .studio).
    if (!(await stat(p.layout.matchDir(from)).catch(() => null))?.isDirectory()) {
      throw new ApiError('not-found', `There is no match "${from}" in this project.`)
    }
    const openHere = this.clips.ids().filter((id) => p.clips.get(id)?.match === from)
    if (openHere.length) {
      throw new ApiError(
        'bad-request',
        `Close the open clips of "${from}" before renaming it (their videos are in use).`
      )
    }
    await renameMatchDurably(p.layout, p.file, from, to, () => this.state.writeFile())
    return refreshLibrary(this.state, this.clips)
  }

  async removeClip({ clipId }: Params<'project.removeClip'>): Promise<Result<'project.removeClip'>> {
    const p = this.state.need()
    const found = this.state.found(clipId)
    // Its journal goes to the trash with it: a save that fails here loses nothing.
    await this.closeClip({ clipId }).catch(() => undefined)
    const trashedTo = await trashClip(p.layout, clipId, found)
    delete p.file.clips[clipId]
    await this.state.writeFile()
    return { trashedTo, library: await refreshLibrary(this.state, this.clips) }
  }

  async openClip({ clipId }: Params<'clip.open'>): Promise<Result<'clip.open'>> {
    const c = await this.clips.get(clipId)
    const atOpen = this.state.recoveredAtOpen.get(clipId)
    this.state.recoveredAtOpen.delete(clipId)
    return {
      clipId,
      videoId: c.videoId,
      info: c.info,
      labels: encodeColumns(c.session.columns),
      seq: c.session.seq,
      recovered: c.session.recovered + (atOpen?.recovered ?? 0),
      warnings: [...(atOpen?.warnings ?? []), ...c.session.warnings]
    }
  }

  async closeClip({ clipId }: Params<'clip.close'>): Promise<{ closed: boolean }> {
    this.opencvMaps.delete(clipId)
    return this.clips.close({ clipId })
  }

  async edit({ clipId, edits }: Params<'labels.edit'>): Promise<Result<'labels.edit'>> {
    const c = await this.clips.get(clipId)
    const { seq, counts } = await c.session.edit(edits)
    return { seq, counts }
  }

  async importLabels(p: Params<'labels.import'>): Promise<Result<'labels.import'>> {
    const c = await this.clips.get(p.clipId)
    const ffprobe = this.o.ffprobePath?.() ?? null
    const shown = async (): Promise<Int32Array> => {
      if (!ffprobe)
        throw new ApiError('no-ffmpeg', 'ffprobe is needed to know how OpenCV numbers this video.')
      let map = this.opencvMaps.get(p.clipId)
      if (!map) {
        map = opencvNumbering(ffprobe, c.info.path).then((n) => n.shown)
        map.catch(() => this.opencvMaps.delete(p.clipId)) // a failed read is tried again next time
        this.opencvMaps.set(p.clipId, map)
      }
      return map
    }
    // Only a video with uneven gaps can be numbered two ways; without ffprobe the hint is left out, not an error.
    const dropsFrames = c.info.variableFrameRate && ffprobe !== null
    return importLabelFile(c.session, this.context(p.clipId, c), p, { shown, dropsFrames })
  }

  async exportLabels(p: Params<'labels.export'>): Promise<Result<'labels.export'>> {
    refuseStudioState(this.state.need().layout, p.path)
    const c = await this.clips.get(p.clipId)
    return exportLabelFile(c.session, this.context(p.clipId, c), p)
  }

  /**
   * A copy of a clip's labels (journal replayed, edits up to now) and its video's facts, for the evaluation.
   * A copy, because the figures must not change under later edits; a clip opened only for this is closed again.
   */
  async snapshotClip(clipId: string): Promise<ClipSnapshot> {
    const found = this.state.found(clipId)
    const wasOpen = this.clips.has(clipId)
    const c = await this.clips.get(clipId)
    const columns = cloneColumns(c.session.columns)
    // A save that fails was reported (project.saveProblem); the copy is what the evaluation needs.
    if (!wasOpen) await this.closeClip({ clipId }).catch(() => undefined)
    return { clipId, match: found.match, clip: found.clip, videoPath: c.info.path, info: c.info, columns }
  }

  async exportDataset(p: Params<'dataset.export'>): Promise<Result<'dataset.export'>> {
    return startDatasetExport(this.state, this.clips, this.exports, () => this.o.ffmpegPath(), p)
  }

  async cancelExport({ jobId }: Params<'dataset.cancel'>): Promise<{ cancelled: boolean }> {
    return { cancelled: this.exports.cancel(jobId) }
  }

  /** Saves every open clip (on quit); the journal already holds every acknowledged edit. */
  async dispose(): Promise<void> {
    this.exports.dispose()
    await this.closeProject().catch(() => undefined)
  }

  private context(clipId: string, c: OpenClip) {
    return {
      video: { width: c.info.width, height: c.info.height },
      frameCount: c.session.frameCount,
      clip: this.state.found(clipId).clip
    }
  }
}
