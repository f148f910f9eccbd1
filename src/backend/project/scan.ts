// Runs in the backend (plain Node): what clips a project folder holds, from its TrackNet layout. A clip is a
// video (a file in <match>/video, or a <clip>.video.json reference) and/or a <match>/csv/<clip>_ball.csv;
// half-clips are listed with what is missing said in `problems`, never thrown.
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

async function names(dir: string): Promise<{ name: string; dir: boolean }[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).map((e) => ({ name: e.name, dir: e.isDirectory() }))
  } catch {
    return []
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

export async function scanProject(
  layout: ProjectLayout
): Promise<{ clips: FoundClip[]; problems: string[] }> {
  const clips: FoundClip[] = []
  const problems: string[] = []
  const matches = (await names(layout.root))
    .filter((e) => e.dir && !e.name.startsWith('.'))
    .map((e) => e.name)
  for (const match of matches.sort()) {
    const videos = new Map<string, FoundClip>()
    for (const e of await names(layout.videoDir(match))) {
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
    for (const e of await names(csvDir)) {
      if (!e.dir && e.name.endsWith(LABEL_SUFFIX)) {
        csvs.set(e.name.slice(0, -LABEL_SUFFIX.length), path.join(csvDir, e.name))
      }
    }
    if (videos.size === 0 && csvs.size === 0) continue
    for (const clip of [...new Set([...videos.keys(), ...csvs.keys()])].sort()) {
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
  return { clips, problems }
}
