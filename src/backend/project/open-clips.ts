// Runs in the backend (plain Node): the open project's open clips: each one's video (through the video
// engine) and its label session, opened once however many calls ask for it, and closed with a save.
import { ApiError } from '../../shared/api/errors'
import { ClipSession } from './clip-session'
import type { ProjectState } from './project-state'
import type { OpenClip, ProjectServiceOptions } from './project-types'

export class OpenClips {
  private readonly open = new Map<string, Promise<OpenClip>>()

  constructor(
    private readonly state: ProjectState,
    private readonly o: ProjectServiceOptions
  ) {}

  has(clipId: string): boolean {
    return this.open.has(clipId)
  }

  ids(): string[] {
    return [...this.open.keys()]
  }

  entries(): IterableIterator<[string, Promise<OpenClip>]> {
    return this.open.entries()
  }

  /** The open clip, opening its video and labels the first time. */
  get(clipId: string): Promise<OpenClip> {
    let c = this.open.get(clipId)
    if (!c) {
      c = this.openNow(clipId)
      this.open.set(clipId, c)
      c.catch(() => this.open.delete(clipId))
    }
    return c
  }

  async close({ clipId }: { clipId: string }): Promise<{ closed: boolean }> {
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

  private async openNow(clipId: string): Promise<OpenClip> {
    const p = this.state.need()
    const found = this.state.found(clipId)
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
            void this.state.writeFile().catch(() => undefined)
          },
          saveProblem: (message) => this.o.emit('project.saveProblem', { clipId, message })
        }
      })
      const r = p.file.clips[clipId]
      if (r && r.frames !== session.frameCount) {
        r.frames = session.frameCount
        void this.state.writeFile().catch(() => undefined)
      }
      return { session, videoId, info }
    } catch (err) {
      await this.o.video.close(videoId).catch(() => undefined)
      throw err
    }
  }
}
