// Runs in the backend (plain Node): what clips a TrackNet-layout folder holds — a studio project or any dataset
// in that layout (eval, renumber and adapt read folders through this too). A clip is a video (a file in
// <match>/video, or a <clip>.video.json reference) and/or a <match>/csv/<clip>_ball.csv; half-clips are listed
// with what is missing said in `problems`, never thrown.
import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { LABEL_SUFFIX, REFERENCE_SUFFIX, VIDEO_EXTENSIONS, type ProjectLayout } from './layout'

export interface FoundClip {
  match: string
  clip: string
  videoKind: 'copy' | 'reference' | 'none'
  /** The video file (for a reference: where it points, resolved). */
  videoPath: string | null
  videoMissing: boolean
  /** The reference file itself, for a reference. */
  referenceFile: string | null
  csvPath: string | null
}

/** A reference file: where the video is, absolute and relative to the reference (the first that exists wins). */
export interface VideoReference {
  path: string
  relative?: string
  sizeBytes?: number
}

type Entry = { name: string; dir: boolean }

/** A folder's entries; null where it cannot be listed (missing, a file, no permission). */
async function names(dir: string): Promise<Entry[] | null> {
  try {
    return (await readdir(dir, { withFileTypes: true })).map((e) => ({ name: e.name, dir: e.isDirectory() }))
  } catch {
    return null
  }
}

export async function resolveReference(
  file: string
): Promise<{ path: string | null; problem: string | null }> {
  try {
    const ref = JSON.parse(await readFile(file, 'utf8')) as Partial<VideoReference>
    const candidates = [ref.path, ref.relative && path.resolve(path.dirname(file), ref.relative)]
    for (const c of candidates) if (typeof c === 'string' && existsSync(c)) return { path: c, problem: null }
    const target = typeof ref.path === 'string' ? ref.path : '?'
    return {
      path: target,
      problem: `${file} points at ${target}, which is not there: put the video back or add it again.`
    }
  } catch (err) {
    return { path: null, problem: `${file} is not a readable video reference: ${(err as Error).message}` }
  }
}

export interface FolderScan {
  /** Every clip found, complete or not, sorted by match then clip. */
  clips: FoundClip[]
  /** A reference whose video is not there or unreadable; labels without a video. */
  problems: string[]
  /** False when the root is not a readable folder. */
  readable: boolean
  /** Sub-folders with neither a video/ nor a csv/ clip in them (notes, exports): not matches. */
  notMatches: string[]
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

export async function scanProject(layout: ProjectLayout): Promise<FolderScan> {
  const clips: FoundClip[] = []
  const problems: string[] = []
  const notMatches: string[] = []
  const top = await names(layout.root)
  if (!top) return { clips, problems, readable: false, notMatches }
  const matches = top.filter((e) => e.dir && !e.name.startsWith('.')).map((e) => e.name)
  for (const match of matches.sort(byName)) {
    const videos = new Map<string, FoundClip>()
    for (const e of (await names(layout.videoDir(match))) ?? []) {
      if (e.dir || e.name.startsWith('.')) continue
      const file = path.join(layout.videoDir(match), e.name)
      if (e.name.endsWith(REFERENCE_SUFFIX)) {
        const clip = e.name.slice(0, -REFERENCE_SUFFIX.length)
        const ref = await resolveReference(file)
        if (ref.problem) problems.push(ref.problem)
        videos.set(clip, {
          match,
          clip,
          videoKind: 'reference',
          videoPath: ref.path,
          videoMissing: ref.problem !== null,
          referenceFile: file,
          csvPath: null
        })
        continue
      }
      const ext = path.extname(e.name)
      if (!VIDEO_EXTENSIONS.includes(ext.toLowerCase())) continue
      const clip = e.name.slice(0, -ext.length)
      videos.set(clip, {
        match,
        clip,
        videoKind: 'copy',
        videoPath: file,
        videoMissing: false,
        referenceFile: null,
        csvPath: null
      })
    }
    const csvDir = path.dirname(layout.csvFile(match, 'x'))
    const csvs = new Map<string, string>()
    for (const e of (await names(csvDir)) ?? []) {
      if (!e.dir && !e.name.startsWith('.') && e.name.endsWith(LABEL_SUFFIX)) {
        csvs.set(e.name.slice(0, -LABEL_SUFFIX.length), path.join(csvDir, e.name))
      }
    }
    if (videos.size === 0 && csvs.size === 0) {
      notMatches.push(layout.matchDir(match))
      continue
    }
    for (const clip of [...new Set([...videos.keys(), ...csvs.keys()])].sort(byName)) {
      const found: FoundClip = videos.get(clip) ?? {
        match,
        clip,
        videoKind: 'none',
        videoPath: null,
        videoMissing: true,
        referenceFile: null,
        csvPath: null
      }
      found.csvPath = csvs.get(clip) ?? null
      if (found.videoKind === 'none') {
        problems.push(`${found.csvPath} has no video: add the video to ${match} with the name ${clip}.`)
      }
      clips.push(found)
    }
  }
  return { clips, problems, readable: true, notMatches }
}
