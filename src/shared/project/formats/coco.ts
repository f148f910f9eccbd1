// Runs everywhere (shared): COCO keypoints JSON for one clip — one image per frame, one annotation with one
// keypoint ("shuttle") per labelled frame. COCO's keypoint flag says exactly what the studio's visibility says:
// v=2 visible, v=1 labelled but not visible, v=0 (or no annotation) not labelled. The model's confidence rides
// in `score`, as in COCO result files. Frame numbers are kept in each image's `frame` field (and its id).
import { IssueList } from '../../labels/issues'
import type { LabelIssue, LabelPoint, RowPoint, VideoSize } from '../../labels/types'
import { checkFrames, checkPoints } from './point-checks'
import { checkWritable } from './writable'

export interface CocoOptions {
  video: VideoSize
  frameCount: number
  /** Used for the images' file names: `<clip>/<frame>.jpg`, the layout of dataset export. */
  clip: string
}

export function writeCoco(points: readonly LabelPoint[], options: CocoOptions): string {
  checkWritable(points, options.frameCount)
  const images = Array.from({ length: options.frameCount }, (_, f) => ({
    id: f,
    frame: f,
    file_name: `${options.clip}/${f}.jpg`,
    width: options.video.width,
    height: options.video.height
  }))
  const annotations = [...points]
    .sort((a, b) => a.frame - b.frame)
    .map((p, i) => ({
      id: i + 1,
      image_id: p.frame,
      category_id: 1,
      keypoints: p.visible ? [p.x, p.y, 2] : [0, 0, 1],
      num_keypoints: p.visible ? 1 : 0,
      ...(p.confidence !== undefined ? { score: p.confidence } : {})
    }))
  const categories = [
    { id: 1, name: 'shuttlecock', supercategory: 'ball', keypoints: ['shuttle'], skeleton: [] }
  ]
  return (
    JSON.stringify({ info: { description: 'Shuttle Studio labels' }, images, annotations, categories }) + '\n'
  )
}

export interface ReadResult {
  points: RowPoint[]
  issues: LabelIssue[]
}

type Json = Record<string, unknown>
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * Frame of an image: its `frame` field, else the last number in its file name, else its id. The digits must
 * start the run (the look-behind): a long name of digits is then one attempt, not one per digit.
 */
function frameOf(image: Json): number | null {
  if (typeof image.frame === 'number') return image.frame
  if (typeof image.file_name === 'string') {
    const m = /(?<!\d)(\d+)\.[a-z]+$/i.exec(image.file_name)
    if (m) return Number(m[1])
  }
  return typeof image.id === 'number' ? image.id : null
}

/** JSON.parse turns 1e400 into Infinity; such a value is no position. */
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)

export function readCoco(
  text: string,
  options: { video?: VideoSize; frameCount?: number; maxIssuesPerCode?: number } = {}
): ReadResult {
  const issues = new IssueList(options.maxIssuesPerCode)
  let doc: unknown
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (e) {
    issues.add(0, 'bad-header', 'error', `Not JSON: ${(e as Error).message}`)
    return { points: [], issues: issues.list() }
  }
  if (!isObject(doc) || !Array.isArray(doc.images) || !Array.isArray(doc.annotations)) {
    issues.add(0, 'bad-header', 'error', 'Not a COCO file: expected "images" and "annotations" lists.')
    return { points: [], issues: issues.list() }
  }
  const frames = new Map<unknown, number>()
  for (const img of doc.images as unknown[]) {
    const f = isObject(img) ? frameOf(img) : null
    if (f !== null && isObject(img)) frames.set(img.id, f)
  }
  const points: RowPoint[] = []
  ;(doc.annotations as unknown[]).forEach((a, i) => {
    const p = readAnnotation(a, i + 1, frames, issues)
    if (p) points.push(p)
  })
  checkPoints(points, issues, options.video)
  checkFrames(points, issues, options.frameCount)
  return { points, issues: issues.list() }
}

/** One annotation as a point, or null (reported) when it cannot be one; v=0 is "not labelled", no point. */
function readAnnotation(
  a: unknown,
  row: number,
  frames: ReadonlyMap<unknown, number>,
  issues: IssueList
): RowPoint | null {
  const frame = isObject(a) ? frames.get(a.image_id) : undefined
  if (!isObject(a) || frame === undefined || !Number.isSafeInteger(frame) || frame < 0) {
    issues.add(
      row,
      'frame-not-number',
      'error',
      `Annotation ${row}: its image has no frame number; not read.`
    )
    return null
  }
  const kp = a.keypoints
  if (!Array.isArray(kp) || kp.length < 3 || !kp.slice(0, 3).every(finite)) {
    const msg = `Annotation ${row}: keypoints should be [x, y, v], three numbers; not read.`
    issues.add(row, 'missing-columns', 'error', msg, frame)
    return null
  }
  const [x, y, v] = kp as number[]
  if (v === 0) return null
  if (v !== 1 && v !== 2) {
    const msg = `Annotation ${row}: keypoint flag ${v} is not 0, 1 or 2 (COCO's not labelled, hidden, visible); not read.`
    issues.add(row, 'visibility-unusual', 'error', msg, frame)
    return null
  }
  const visible = v === 2
  const p: RowPoint = { frame, visible, x: visible ? x! + 0 : 0, y: visible ? y! + 0 : 0, row }
  if (finite(a.score)) p.confidence = a.score
  else if (a.score !== undefined && a.score !== null) {
    const msg = `Annotation ${row}: its score is not a number; left out.`
    issues.add(row, 'confidence-out-of-range', 'warning', msg, frame)
  }
  return p
}
