// Runs in the backend (plain Node): lists the clips of a TrackNet-layout root,
//   ROOT/<match>/video/<clip>.mp4  and  ROOT/<match>/csv/<clip>_ball.csv,
// pairing videos with labels the way training/shuttle_training/dataset.py does (same video extensions, sorted
// for determinism). Half-clips are listed too, with what is missing said in `problems`, not thrown.
import { readdir } from 'node:fs/promises'
import path from 'node:path'

export const VIDEO_EXTENSIONS = ['.mp4', '.mov', '.avi', '.mkv']
export const LABEL_SUFFIX = '_ball.csv'

export interface ClipEntry {
  match: string
  clip: string
  /** `<match>/<clip>`: clip names repeat across matches in TrackNet data, this does not. */
  name: string
  videoPath: string | null
  labelPath: string | null
}

export interface DatasetProblem {
  kind: 'no-root' | 'no-labels' | 'no-video' | 'empty-match'
  path: string
  message: string
}

export interface DatasetScan {
  root: string
  /** Every clip found, complete or not, sorted by match then clip. */
  clips: ClipEntry[]
  problems: DatasetProblem[]
}

async function listDir(dir: string): Promise<{ name: string; isDir: boolean }[] | null> {
  try {
    const entries = await readdir(dir, { withFileTypes: true })
    return entries.map((e) => ({ name: e.name, isDir: e.isDirectory() }))
  } catch {
    return null
  }
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

export async function scanTrackNetRoot(root: string): Promise<DatasetScan> {
  const problems: DatasetProblem[] = []
  const top = await listDir(root)
  if (!top) {
    const message = `${root} is not a readable folder: expected ROOT/<match>/video and ROOT/<match>/csv inside.`
    return { root, clips: [], problems: [{ kind: 'no-root', path: root, message }] }
  }
  const clips: ClipEntry[] = []
  for (const match of top
    .filter((e) => e.isDir && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort(byName)) {
    const matchDir = path.join(root, match)
    const videoDir = path.join(matchDir, 'video')
    const csvDir = path.join(matchDir, 'csv')
    const videos = new Map<string, string>()
    for (const e of (await listDir(videoDir)) ?? []) {
      const ext = path.extname(e.name)
      if (e.isDir || !VIDEO_EXTENSIONS.includes(ext.toLowerCase())) continue
      videos.set(e.name.slice(0, -ext.length), path.join(videoDir, e.name))
    }
    const labels = new Map<string, string>()
    for (const e of (await listDir(csvDir)) ?? []) {
      if (e.isDir || !e.name.endsWith(LABEL_SUFFIX)) continue
      labels.set(e.name.slice(0, -LABEL_SUFFIX.length), path.join(csvDir, e.name))
    }
    if (videos.size === 0 && labels.size === 0) {
      // Any folder without the layout (notes, exports) is not a match; say so once rather than guess.
      const message = `${matchDir} has no video/<clip>.mp4 and no csv/<clip>_ball.csv; not a match folder.`
      problems.push({ kind: 'empty-match', path: matchDir, message })
      continue
    }
    for (const clip of [...new Set([...videos.keys(), ...labels.keys()])].sort(byName)) {
      const videoPath = videos.get(clip) ?? null
      const labelPath = labels.get(clip) ?? null
      clips.push({ match, clip, name: `${match}/${clip}`, videoPath, labelPath })
      if (videoPath && !labelPath) {
        const message = `${videoPath} has no labels: expected ${path.join(csvDir, clip + LABEL_SUFFIX)}.`
        problems.push({ kind: 'no-labels', path: videoPath, message })
      } else if (labelPath && !videoPath) {
        const message = `${labelPath} has no video: expected ${path.join(videoDir, clip)}.mp4 (or .mov, .avi, .mkv).`
        problems.push({ kind: 'no-video', path: labelPath, message })
      }
    }
  }
  return { root, clips, problems }
}
