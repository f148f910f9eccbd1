// Runs in the backend (plain Node): the project and label methods of the contract. Holds the one open project
// and its open clips; everything on disk goes through the modules beside this one.
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import type { EventName, EventPayload, Params, Result } from '../../shared/api/contract'
import { ApiError } from '../../shared/api/errors'
import type { z } from 'zod'
import type { VideoInfo } from '../../shared/api/schemas'
import { cloneColumns, type ClipColumns } from '../../shared/project/columns'
import { emptyMergeReport, mergeChanged } from '../../shared/project/label-report'
import { encodeColumns } from '../../shared/project/wire'
import { MatchName } from '../../shared/api/methods/project'
import { addVideos, trashClip } from './clip-files'
import { ClipSession } from './clip-session'
import { DatasetExports, ensureEmptyDir, splitMatches, type ExportClip } from './dataset-export'
import { disk } from './disk'
import { diskError } from './disk-errors'
import { exportLabelFile, importLabelFile } from './label-files'
import { ProjectLayout, refuseStudioState } from './layout'
import { buildLibrary, reconcile, type Library } from './library'
import { renameMatchDurably, settleInterruptedRename } from './match-rename'
import { writeProjectFile, type ProjectFile } from './project-file'
import { openProjectFile } from './project-rebuild'
import { scanProject, type FoundClip } from './scan'
import { csvFingerprint, findChangedCsvs, foundCsvNotice } from './csv-scan'
import { clipsWithJournal, unsavedNotice, type RecoveredAtOpen } from './unsaved-edits'
import { clearInterruptedUploads, probeWith, writeUploadedVideo } from './video-upload'

type Info = z.infer<typeof VideoInfo>

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

interface OpenProject {
  layout: ProjectLayout
  file: ProjectFile
  clips: Map<string, FoundClip>
  problems: string[]
  /** What opening the project had to do (a project.json rebuilt), listed with the library's problems. */
  notices: string[]
  /** What label CSVs found on disk did (csv-scan.ts); kept when the same project is opened again. */
  foundCsv: string[]
}

interface OpenClip {
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

export class ProjectService {
  private project: OpenProject | null = null
  private readonly open = new Map<string, Promise<OpenClip>>()
  private readonly exports = new DatasetExports((e, p) => this.o.emit(e, p))
  private fileWrites: Promise<unknown> = Promise.resolve()
  /** Clips saved from their journal when the project opened: what that found, for the clip's next open. */
  private readonly recoveredAtOpen = new Map<string, RecoveredAtOpen>()

  constructor(private readonly o: ProjectServiceOptions) {}

  async create({ dir, name }: Params<'project.create'>): Promise<Library> {
    const layout = new ProjectLayout(path.resolve(dir))
    if (existsSync(layout.projectFile)) {
      throw new ApiError('bad-request', `${layout.root} is a project already: open it instead.`)
    }
    await mkdir(layout.studio, { recursive: true }).catch((err) => {
      throw diskError(err, 'create the project in', layout.root)
    })
    const file: ProjectFile = {
      version: 1,
      name: name?.trim() || path.basename(layout.root),
      createdAt: new Date().toISOString(),
      clips: {}
    }
    await writeProjectFile(layout.projectFile, file).catch((err) => {
      throw diskError(err, 'create the project in', layout.root)
    })
    return this.openProject({ dir: layout.root })
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
    await this.probeWritable(layout)
    // A CSV counted while the project was open is not counted again: its report must not go with the reopen.
    const foundCsv = this.project?.layout.root === layout.root ? this.project.foundCsv : []
    // A clip of the previous project that could not be saved said so (project.saveProblem); its journal keeps it.
    await this.closeProject().catch(() => undefined)
    const notices = opened.notice ? [opened.notice] : []
    this.project = { layout, file: opened.file, clips: new Map(), problems: [], notices, foundCsv }
    this.recoveredAtOpen.clear()
    if (settleInterruptedRename(layout, opened.file)) await this.writeFile()
    await clearInterruptedUploads(layout)
    await this.refresh()
    await this.saveUnsavedEdits()
    return this.refresh()
  }

  /** Brings the CSV of every clip with unsaved journal edits up to date (see unsaved-edits.ts). */
  private async saveUnsavedEdits(): Promise<void> {
    const p = this.need()
    for (const id of await clipsWithJournal(p.layout, p.clips.keys())) {
      try {
        const c = await this.clip(id)
        const found = { recovered: c.session.recovered, warnings: c.session.warnings }
        await this.closeClip({ clipId: id })
        this.recoveredAtOpen.set(id, found)
      } catch (err) {
        const f = p.clips.get(id)
        p.notices.push(unsavedNotice(`${f?.match}/${f?.clip}`, (err as Error).message))
      }
    }
  }

  async library(): Promise<Library> {
    return this.refresh()
  }

  /** Closes every clip and the project; rejects, once all is closed, when a clip's files could not be saved. */
  async closeProject(): Promise<{ closed: boolean }> {
    if (!this.project) return { closed: false }
    const unsaved: string[] = []
    for (const id of [...this.open.keys()]) {
      await this.closeClip({ clipId: id }).catch((err: Error) => unsaved.push(err.message))
    }
    await this.fileWrites
    this.project = null
    if (unsaved.length) {
      throw new ApiError(
        'io',
        `The project was closed, but ${unsaved.length} clip(s) could not be saved: ${unsaved.join(' ')}`
      )
    }
    return { closed: true }
  }

  async addVideos({ match, paths, mode }: Params<'project.addVideos'>): Promise<Result<'project.addVideos'>> {
    const p = this.need()
    const names = await addVideos(p.layout, match, paths, mode, [...p.clips.values()])
    const library = await this.refresh()
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
    const p = this.need()
    const parsed = MatchName.safeParse(upload.match)
    if (!parsed.success) {
      throw new ApiError('bad-request', parsed.error.issues[0]?.message ?? 'give a match name')
    }
    const match = parsed.data
    // Rescanned first: the duplicate check must see files added since the library was last read.
    await this.refresh()
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
    const library = await this.refresh()
    const added = library.matches.find((m) => m.name === match)!.clips.filter((c) => c.clip === clip)
    return { added, library }
  }

  /**
   * Where a video's frame index belongs: the open project's .studio/index for a video of one of its clips
   * (copied or referenced) or any file inside the project folder, so the indexes travel with the project;
   * null for a loose video (the app's cache folder).
   */
  indexFor(videoPath: string): ProjectIndex | null {
    const p = this.project
    if (!p) return null
    const abs = path.resolve(videoPath)
    const rel = path.relative(p.layout.root, abs)
    const inside = rel !== '' && rel.split(path.sep)[0] !== '..' && !path.isAbsolute(rel)
    const ofClip = [...p.clips.values()].some((c) => c.videoPath && path.resolve(c.videoPath) === abs)
    return inside || ofClip ? { dir: p.layout.indexDir, root: p.layout.root } : null
  }

  /**
   * Where the tracker keeps its track of a video of one of the open project's clips, per model (by clip id,
   * so renaming a match keeps it); null for any other video.
   */
  predictionFileFor(videoPath: string, modelHash: string): string | null {
    const p = this.project
    if (!p) return null
    const abs = path.resolve(videoPath)
    for (const [id, c] of p.clips) {
      if (c.videoPath && path.resolve(c.videoPath) === abs) return p.layout.predictionFile(id, modelHash)
    }
    return null
  }

  async renameMatch({ from, to }: Params<'project.renameMatch'>): Promise<Library> {
    const p = this.need()
    // Only a folder of the project is a match (the layout refuses names that leave it or reach .studio).
    if (!(await stat(p.layout.matchDir(from)).catch(() => null))?.isDirectory()) {
      throw new ApiError('not-found', `There is no match "${from}" in this project.`)
    }
    const openHere = [...this.open.keys()].filter((id) => p.clips.get(id)?.match === from)
    if (openHere.length) {
      throw new ApiError(
        'bad-request',
        `Close the open clips of "${from}" before renaming it (their videos are in use).`
      )
    }
    await renameMatchDurably(p.layout, p.file, from, to, () => this.writeFile())
    return this.refresh()
  }

  async removeClip({ clipId }: Params<'project.removeClip'>): Promise<Result<'project.removeClip'>> {
    const p = this.need()
    const found = this.found(clipId)
    // Its journal goes to the trash with it: a save that fails here loses nothing.
    await this.closeClip({ clipId }).catch(() => undefined)
    const trashedTo = await trashClip(p.layout, clipId, found)
    delete p.file.clips[clipId]
    await this.writeFile()
    return { trashedTo, library: await this.refresh() }
  }

  async openClip({ clipId }: Params<'clip.open'>): Promise<Result<'clip.open'>> {
    const c = await this.clip(clipId)
    const atOpen = this.recoveredAtOpen.get(clipId)
    this.recoveredAtOpen.delete(clipId)
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
    const pending = this.open.get(clipId)
    if (!pending) return { closed: false }
    this.open.delete(clipId)
    const c = await pending.catch(() => null)
    if (!c) return { closed: false }
    // Closed either way (the journal keeps every edit); a save that failed is the answer, not "closed".
    const saved = await c.session.close().then(
      () => null,
      (err: unknown) => err
    )
    await this.o.video.close(c.videoId).catch(() => undefined)
    if (saved) throw saved
    return { closed: true }
  }

  async edit({ clipId, edits }: Params<'labels.edit'>): Promise<Result<'labels.edit'>> {
    const c = await this.clip(clipId)
    const { seq, counts } = await c.session.edit(edits)
    return { seq, counts }
  }

  async importLabels(p: Params<'labels.import'>): Promise<Result<'labels.import'>> {
    const c = await this.clip(p.clipId)
    return importLabelFile(c.session, this.context(p.clipId, c), p)
  }

  async exportLabels(p: Params<'labels.export'>): Promise<Result<'labels.export'>> {
    refuseStudioState(this.need().layout, p.path)
    const c = await this.clip(p.clipId)
    return exportLabelFile(c.session, this.context(p.clipId, c), p)
  }

  /**
   * A copy of a clip's labels (journal replayed, edits up to now) and its video's facts, for the evaluation.
   * A copy, because the figures must not change under later edits; a clip opened only for this is closed again.
   */
  async snapshotClip(clipId: string): Promise<ClipSnapshot> {
    const found = this.found(clipId)
    const wasOpen = this.open.has(clipId)
    const c = await this.clip(clipId)
    const columns = cloneColumns(c.session.columns)
    // A save that fails was reported (project.saveProblem); the copy is what the evaluation needs.
    if (!wasOpen) await this.closeClip({ clipId }).catch(() => undefined)
    return { clipId, match: found.match, clip: found.clip, videoPath: c.info.path, info: c.info, columns }
  }

  async exportDataset(p: Params<'dataset.export'>): Promise<Result<'dataset.export'>> {
    const project = this.need()
    refuseStudioState(project.layout, p.dir)
    const ffmpegPath = this.o.ffmpegPath()
    if (!ffmpegPath) throw new ApiError('no-ffmpeg', 'Exporting frames needs ffmpeg, which was not found.')
    await ensureEmptyDir(p.dir)
    const clips: ExportClip[] = []
    for (const [id, found] of project.clips) {
      if (!found.videoPath || found.videoMissing) continue
      const wasOpen = this.open.has(id)
      const c = await this.clip(id)
      await c.session.flush().catch(() => undefined)
      const counts = c.session.counts()
      // A copy: the export must not change under later edits, and clips opened only for it are closed again.
      const columns = cloneColumns(c.session.columns)
      if (!wasOpen) await this.closeClip({ clipId: id }).catch(() => undefined)
      if (counts.labelled === 0) continue
      if (p.reviewedOnly && counts.reviewed < counts.labelled) continue
      clips.push({ match: found.match, clip: found.clip, videoPath: found.videoPath, columns })
    }
    const matches = [...new Set(clips.map((c) => c.match))].sort()
    const split = splitMatches(matches, p.valMatches, p.valFraction ?? 0.2)
    const jobId = `export-${randomBytes(4).toString('hex')}`
    this.exports.start(jobId, clips, split, {
      dir: p.dir,
      ffmpegPath,
      unlabelled: p.unlabelled ?? 'omit',
      jpegQuality: p.jpegQuality ?? 2
    })
    return { jobId, train: split.train, val: split.val }
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
      clip: this.found(clipId).clip
    }
  }

  private need(): OpenProject {
    if (!this.project) throw new ApiError('bad-request', 'No project is open: open or create one first.')
    return this.project
  }

  private found(clipId: string): FoundClip {
    const f = this.need().clips.get(clipId)
    if (!f)
      throw new ApiError(
        'not-found',
        `There is no clip ${clipId} in this project (removed, or the library changed).`
      )
    return f
  }

  /** The open clip, opening its video and labels the first time. */
  private clip(clipId: string): Promise<OpenClip> {
    let c = this.open.get(clipId)
    if (!c) {
      c = this.openClipNow(clipId)
      this.open.set(clipId, c)
      c.catch(() => this.open.delete(clipId))
    }
    return c
  }

  private async openClipNow(clipId: string): Promise<OpenClip> {
    const p = this.need()
    const found = this.found(clipId)
    if (!found.videoPath || found.videoMissing) {
      throw new ApiError(
        'not-found',
        found.videoKind === 'none'
          ? `${found.match}/${found.clip} has labels but no video: add the video to the match.`
          : `The video of ${found.match}/${found.clip} is not at ${found.videoPath}: put it back, or remove the clip and add the video again.`
      )
    }
    const { videoId, info } = await this.o.video.open(found.videoPath, {
      dir: p.layout.indexDir,
      root: p.layout.root
    })
    try {
      const session = await ClipSession.open({
        clipId,
        stateFile: p.layout.stateFile(clipId),
        journalFile: p.layout.journalFile(clipId),
        csvFile: p.layout.csvFile(found.match, found.clip),
        frameCount: info.frameCount,
        video: { width: info.width, height: info.height },
        saveDelayMs: this.o.saveDelayMs,
        events: {
          changed: (seq, edits) => this.o.emit('labels.changed', { clipId, seq, edits }),
          saved: (seq, counts) => {
            this.o.emit('project.saved', { clipId, seq })
            const r = p.file.clips[clipId]
            if (r) Object.assign(r, counts) // the summary's fields are the record's progress fields
            void this.writeFile().catch(() => undefined)
          },
          saveProblem: (message) => this.o.emit('project.saveProblem', { clipId, message })
        }
      })
      const r = p.file.clips[clipId]
      if (r && r.frames !== session.frameCount) {
        r.frames = session.frameCount
        void this.writeFile().catch(() => undefined)
      }
      return { session, videoId, info }
    } catch (err) {
      await this.o.video.close(videoId).catch(() => undefined)
      throw err
    }
  }

  /** Rescans the folder, gives new clips ids (and counts from their CSV), and returns the library. */
  private async refresh(): Promise<Library> {
    const p = this.need()
    const { clips: found, problems } = await scanProject(p.layout)
    const before = new Set(Object.keys(p.file.clips))
    const { clips, changed } = reconcile(p.file, found)
    p.clips = clips
    // CSVs put into the project: counted, or merged into the labels the studio holds, and said in the library.
    const csvs = await findChangedCsvs(p.layout, p.file, clips, new Set(this.open.keys()))
    for (const c of csvs.counted) {
      const f = clips.get(c.clipId)
      if (f && before.has(c.clipId))
        p.foundCsv.push(foundCsvNotice(f, { ...emptyMergeReport('file'), set: c.frames }))
    }
    for (const id of csvs.toMerge) await this.mergeFoundCsv(id)
    // An open clip's record is only updated when its CSV is saved (seconds after an edit); the library must
    // show the labels as they are now, or a reviewer who just finished sees "n-1 / n reviewed".
    for (const [id, opening] of this.open) {
      const c = await opening.catch(() => null)
      const r = p.file.clips[id]
      if (c && r) Object.assign(r, c.session.counts())
    }
    p.problems = [...p.notices, ...p.foundCsv, ...problems]
    if (changed || csvs.changed || csvs.toMerge.length) await this.writeFile().catch(() => undefined)
    return buildLibrary(p.layout.root, p.file, clips, p.problems)
  }

  /** Opens a clip whose CSV changed on disk (its load merges the file in), saves what that did, and says so. */
  private async mergeFoundCsv(clipId: string): Promise<void> {
    const p = this.need()
    const f = this.found(clipId)
    try {
      const { session } = await this.clip(clipId)
      const merged = session.merged
      await this.closeClip({ clipId })
      // The clip's next open says it too, as if the merge had happened then.
      this.recoveredAtOpen.set(clipId, { recovered: session.recovered, warnings: session.warnings })
      const r = p.file.clips[clipId]
      if (r && f.csvPath) r.csv = (await csvFingerprint(f.csvPath)) ?? undefined
      if (merged && mergeChanged(merged) + merged.conflicts > 0) p.foundCsv.push(foundCsvNotice(f, merged))
    } catch (err) {
      const line = `${f.match}/${f.clip}: labels found in its CSV could not be merged: ${(err as Error).message}`
      if (!p.notices.includes(line)) p.notices.push(line)
    }
  }

  private writeFile(): Promise<void> {
    const p = this.need()
    const run = this.fileWrites.then(() => writeProjectFile(p.layout.projectFile, p.file))
    this.fileWrites = run.catch(() => undefined)
    return run.catch((err) => {
      throw diskError(err, 'write', p.layout.projectFile)
    })
  }

  /** The journal lives in .studio: a folder the studio cannot write is refused at once, with what to do. */
  private async probeWritable(layout: ProjectLayout): Promise<void> {
    const probe = path.join(layout.studio, '.write-test')
    try {
      await disk.writeAtomic(probe, String(process.pid))
      await rm(probe, { force: true })
    } catch (err) {
      throw diskError(
        err,
        'write in',
        layout.studio,
        'The studio keeps every edit there, so it cannot open this project for editing.'
      )
    }
  }
}
