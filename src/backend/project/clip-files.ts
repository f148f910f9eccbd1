// Runs in the backend (plain Node): the file moves behind the library methods — adding videos to a match (copy
// or reference), renaming a match folder, and removing a clip into .studio/trash (nothing is ever deleted).
import { existsSync } from 'node:fs'
import { copyFile, mkdir, rename, stat } from 'node:fs/promises'
import path from 'node:path'
import { ApiError } from '../../shared/api/errors'
import { isVideoOnDisk } from '../fs/video-file-check'
import { disk } from './disk'
import { diskError } from './disk-errors'
import { REFERENCE_SUFFIX, VIDEO_EXTENSIONS, type ProjectLayout } from './layout'
import type { FoundClip, VideoReference } from './scan'

/** The clip name a video gets in a match: its file name, with -2, -3… when taken. */
function freeName(layout: ProjectLayout, match: string, base: string, taken: Set<string>): string {
  const clean = base.replace(/[/\\:*?"<>|]/g, '_').replace(/^\.+/, '') || 'clip'
  let name = clean
  for (let n = 2; taken.has(name) || existsSync(layout.csvFile(match, name)); n++) name = `${clean}-${n}`
  taken.add(name)
  return name
}

/** Copies or references each video into <match>/video; returns the clip names made. */
export async function addVideos(
  layout: ProjectLayout,
  match: string,
  paths: readonly string[],
  mode: 'copy' | 'reference',
  existing: readonly FoundClip[],
  /** Reads a file as a video (ffprobe) and throws saying why it is not one: garbage never becomes a clip. */
  probe?: (file: string) => Promise<void>
): Promise<string[]> {
  const taken = new Set(existing.filter((c) => c.match === match).map((c) => c.clip))
  const dir = layout.videoDir(match)
  for (const p of paths) {
    const ext = path.extname(p).toLowerCase()
    if (!VIDEO_EXTENSIONS.includes(ext)) {
      throw new ApiError(
        'not-a-video',
        `${p} is not a video the project can hold (${VIDEO_EXTENSIONS.join(', ')}).`
      )
    }
    const s = await stat(p).catch((err) => {
      throw diskError(err, 'read', p)
    })
    if (!s.isFile()) throw new ApiError('bad-request', `${p} is not a file.`)
    // The folder picker's rule: a .ts file is a video only when it is an MPEG transport stream.
    if (!(await isVideoOnDisk(p))) {
      throw new ApiError('not-a-video', `${p} is not a video: a .ts file must be an MPEG transport stream.`)
    }
    // All checked before any is added: a refused file leaves the match as it was.
    if (probe) await probe(p)
  }
  await mkdir(dir, { recursive: true }).catch((err) => {
    throw diskError(err, 'create', dir)
  })
  await mkdir(path.dirname(layout.csvFile(match, 'x')), { recursive: true }).catch(() => undefined)
  const added: string[] = []
  for (const p of paths) {
    const ext = path.extname(p)
    const clip = freeName(layout, match, path.basename(p, ext), taken)
    if (mode === 'copy') {
      const target = path.join(dir, clip + ext.toLowerCase())
      const tmp = path.join(dir, `.${clip}.copying`)
      try {
        await copyFile(p, tmp)
        await rename(tmp, target)
      } catch (err) {
        throw diskError(err, 'copy the video into', dir)
      }
    } else {
      const file = path.join(dir, clip + REFERENCE_SUFFIX)
      const abs = path.resolve(p)
      const ref: VideoReference = {
        path: abs,
        relative: path.relative(dir, abs),
        sizeBytes: (await stat(abs)).size
      }
      await disk.writeAtomic(file, JSON.stringify(ref, null, 1) + '\n').catch((err) => {
        throw diskError(err, 'write', file)
      })
    }
    added.push(clip)
  }
  return added
}

export async function renameMatchFolder(layout: ProjectLayout, from: string, to: string): Promise<void> {
  const src = layout.matchDir(from)
  const dst = layout.matchDir(to)
  if (!existsSync(src)) throw new ApiError('not-found', `There is no match "${from}" in this project.`)
  if (existsSync(dst)) throw new ApiError('bad-request', `A match "${to}" exists already: pick another name.`)
  await rename(src, dst).catch((err) => {
    throw diskError(err, 'rename', src)
  })
}

/** Moves the clip's video (or reference), CSV and studio state into the trash; returns the trash folder. */
export async function trashClip(layout: ProjectLayout, clipId: string, clip: FoundClip): Promise<string> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  const dir = path.join(layout.trashDir, `${stamp}-${clip.match}-${clip.clip}`)
  await mkdir(dir, { recursive: true }).catch((err) => {
    throw diskError(err, 'create', dir)
  })
  const moves: [string | null, string][] = [
    [clip.videoKind === 'copy' ? clip.videoPath : clip.referenceFile, 'video'],
    [clip.csvPath, 'csv'],
    [layout.clipDir(clipId), 'studio']
  ]
  for (const [from, sub] of moves) {
    if (!from || !existsSync(from)) continue
    await mkdir(path.join(dir, sub), { recursive: true })
    const to = path.join(dir, sub, path.basename(from))
    await rename(from, to).catch((err) => {
      throw diskError(err, 'move to the trash', from)
    })
  }
  await disk.writeAtomic(
    path.join(dir, 'README.txt'),
    `Removed from the project: ${clip.match}/${clip.clip} (clip ${clipId}).\n` +
      `To restore it, move video/* to ${clip.match}/video/, csv/* to ${clip.match}/csv/ and studio/* to .studio/clips/.\n`
  )
  return dir
}
