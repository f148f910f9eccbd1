// Runs in the backend (plain Node): `shuttle-studio renumber` — a copy of a TrackNet-layout root whose labels,
// numbered by a tool that seeks with OpenCV (TrackNet's labelling tool, most Python scripts), are moved onto
// the frames they were drawn on (video/opencv-frame-numbers.ts). Every clip's CSV is rewritten into OUT (the
// TrackNet columns, pixels), its video hard-linked beside it (copied where a link cannot be made), so `eval`,
// `adapt` and the studio read OUT as they read ROOT. ROOT is never written to.
import { copyFile, link, mkdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { writeLabelCsv } from '../../shared/labels/write'
import { writeFileAtomic } from '../fs/atomic-write'
import { opencvNumbering, renumberFromOpenCv } from '../video/opencv-frame-numbers'
import { readLabelFile } from './label-file'
import { LABEL_SUFFIX, scanTrackNetRoot } from './layout'

export interface RenumberedClip {
  name: string
  frames: number
  /** Pictures missing from the stream's regular rate (dropped frames), counted from the index's gaps. */
  droppedFrames: number
  labels: number
  moved: number
  maxShift: number
  pastEnd: number
  duplicates: number
  /** How the video reached OUT. */
  video: 'linked' | 'copied'
  /** The stream has B-frames: OpenCV's seek is replayed exactly only without them (a few numbers in a hundred
   *  may land elsewhere with them; tests/unit/video/opencv-frame-numbers.test.ts). */
  bFrames: boolean
}

export interface RenumberResult {
  clips: RenumberedClip[]
  /** Clips left out, with why (no video, unreadable labels or video). */
  problems: string[]
}

async function placeVideo(from: string, to: string): Promise<'linked' | 'copied'> {
  await mkdir(path.dirname(to), { recursive: true })
  try {
    await link(from, to)
    return 'linked'
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
      const [a, b] = await Promise.all([stat(from), stat(to)])
      if (a.ino === b.ino && a.dev === b.dev) return 'linked'
      throw new Error(`${to} exists already and is another file: choose an empty --out folder.`)
    }
    // Another disk, or a file system without hard links.
    await copyFile(from, to)
    return 'copied'
  }
}

export async function renumberRoot(root: string, out: string, ffprobe: string): Promise<RenumberResult> {
  const src = path.resolve(root)
  const dst = path.resolve(out)
  if (dst === src || dst.startsWith(src + path.sep)) {
    throw new Error(`--out ${out} is inside ${root}: choose a folder outside it (ROOT is never written to).`)
  }
  const scan = await scanTrackNetRoot(src)
  const noRoot = scan.problems.find((p) => p.kind === 'no-root')
  if (noRoot) throw new Error(noRoot.message)
  const problems: string[] = []
  const clips: RenumberedClip[] = []
  for (const c of scan.clips) {
    if (!c.labelPath) continue
    if (!c.videoPath) {
      problems.push(`${c.name}: no video, so its frames cannot be known; left out.`)
      continue
    }
    let numbering
    try {
      numbering = await opencvNumbering(ffprobe, c.videoPath)
    } catch (e) {
      problems.push(`${c.name}: the video cannot be read (${(e as Error).message}); left out.`)
      continue
    }
    const labels = await readLabelFile(c.labelPath, { video: numbering.size }).catch((e: Error) => e)
    if (labels instanceof Error || !labels.format) {
      const why = labels instanceof Error ? labels.message : 'its header is not recognised'
      problems.push(`${c.name}: its labels cannot be read (${why}); left out.`)
      continue
    }
    const r = renumberFromOpenCv(labels.points, numbering.shown)
    const ext = path.extname(c.videoPath).toLowerCase()
    const video = await placeVideo(c.videoPath, path.join(dst, c.match, 'video', c.clip + ext))
    await mkdir(path.join(dst, c.match, 'csv'), { recursive: true })
    await writeFileAtomic(path.join(dst, c.match, 'csv', c.clip + LABEL_SUFFIX), writeLabelCsv(r.points))
    clips.push({
      name: c.name,
      frames: numbering.frames,
      droppedFrames: numbering.droppedFrames,
      labels: labels.points.length,
      moved: r.moved,
      maxShift: r.maxShift,
      pastEnd: r.pastEnd,
      duplicates: r.duplicates,
      video,
      bFrames: numbering.bFrames
    })
  }
  if (!clips.length && !problems.length) problems.push(`${root} holds no clip with labels.`)
  return { clips, problems }
}
