// Runs in the backend (plain Node): the clips of a TrackNet-layout root as eval and renumber see it,
//   ROOT/<match>/video/<clip>.mp4 (or a <clip>.video.json reference)  and  ROOT/<match>/csv/<clip>_ball.csv.
// The folder is read by the one scanner projects use (project/scan.ts); this adds what a dataset check says
// about it: the root that is not a folder, videos without labels, folders that are not matches. Half-clips are
// listed too, with what is missing said in `problems`, not thrown.
import path from 'node:path'
import { LABEL_SUFFIX, ProjectLayout } from '../project/layout'
import { scanProject } from '../project/scan'

export { LABEL_SUFFIX }

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

export async function scanTrackNetRoot(root: string): Promise<DatasetScan> {
  const layout = new ProjectLayout(root)
  const scan = await scanProject(layout)
  if (!scan.readable) {
    const message = `${root} is not a readable folder: expected ROOT/<match>/video and ROOT/<match>/csv inside.`
    return { root, clips: [], problems: [{ kind: 'no-root', path: root, message }] }
  }
  const problems: DatasetProblem[] = scan.notMatches.map((dir) => ({
    kind: 'empty-match',
    path: dir,
    // Any folder without the layout (notes, exports) is not a match; say so once rather than guess.
    message: `${dir} has no video/<clip>.mp4 and no csv/<clip>_ball.csv; not a match folder.`
  }))
  const clips: ClipEntry[] = []
  for (const c of scan.clips) {
    const videoPath = c.videoMissing ? null : c.videoPath
    clips.push({
      match: c.match,
      clip: c.clip,
      name: `${c.match}/${c.clip}`,
      videoPath,
      labelPath: c.csvPath
    })
    if (videoPath && !c.csvPath) {
      const expected = path.join(layout.matchDir(c.match), 'csv', c.clip + LABEL_SUFFIX)
      problems.push({
        kind: 'no-labels',
        path: videoPath,
        message: `${videoPath} has no labels: expected ${expected}.`
      })
    } else if (c.csvPath && !videoPath) {
      const where = c.referenceFile
        ? `${c.referenceFile} points at ${c.videoPath ?? 'nothing readable'}, which is not there`
        : `expected ${path.join(layout.videoDir(c.match), c.clip)}.mp4 (or another video file of that name)`
      problems.push({ kind: 'no-video', path: c.csvPath, message: `${c.csvPath} has no video: ${where}.` })
    }
  }
  return { root, clips, problems }
}
