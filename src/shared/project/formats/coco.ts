// Runs everywhere (shared): COCO keypoints JSON for one clip — one image per frame, one annotation with one
// keypoint ("shuttle") per labelled frame. COCO's keypoint flag says exactly what the studio's visibility says:
// v=2 visible, v=1 labelled but not visible, v=0 (or no annotation) not labelled. The model's confidence rides
// in `score`, as in COCO result files. Frame numbers are kept in each image's `frame` field (and its id).
import { IssueList } from '../../labels/issues'
import type { LabelIssue, LabelPoint, RowPoint, VideoSize } from '../../labels/types'
import { checkFrames, checkPoints } from './point-checks'

export interface CocoOptions {
  video: VideoSize
  frameCount: number
  /** Used for the images' file names: `<clip>/<frame>.jpg`, the layout of dataset export. */
  clip: string
}

export function writeCoco(points: readonly LabelPoint[], options: CocoOptions): string {
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

interface CocoImage {
  id?: unknown
  frame?: unknown
  file_name?: unknown
}
interface CocoAnnotation {
  image_id?: unknown
  keypoints?: unknown
  score?: unknown
}

/** Frame of an image: its `frame` field, else the last number in its file name, else its id. */
function frameOf(image: CocoImage): number | null {
  if (typeof image.frame === 'number') return image.frame
  if (typeof image.file_name === 'string') {
    const m = /(\d+)\.[a-z]+$/i.exec(image.file_name)
    if (m) return Number(m[1])
  }
  return typeof image.id === 'number' ? image.id : null
}

export function readCoco(
  text: string,
  options: { video?: VideoSize; frameCount?: number; maxIssuesPerCode?: number } = {}
): ReadResult {
  const issues = new IssueList(options.maxIssuesPerCode)
  let doc: { images?: unknown; annotations?: unknown }
  try {
    doc = JSON.parse(text) as typeof doc
  } catch (e) {
    issues.add(0, 'bad-header', 'error', `Not JSON: ${(e as Error).message}`)
    return { points: [], issues: issues.list() }
  }
  if (!Array.isArray(doc.images) || !Array.isArray(doc.annotations)) {
    issues.add(0, 'bad-header', 'error', 'Not a COCO file: expected "images" and "annotations" lists.')
    return { points: [], issues: issues.list() }
  }
  const frames = new Map<unknown, number>()
  for (const img of doc.images as CocoImage[]) {
    const f = frameOf(img)
    if (f !== null) frames.set(img.id, f)
  }
  const points: RowPoint[] = []
  ;(doc.annotations as CocoAnnotation[]).forEach((a, i) => {
    const row = i + 1
    const frame = frames.get(a.image_id)
    const kp = a.keypoints
    if (frame === undefined || !Number.isInteger(frame) || frame < 0) {
      issues.add(
        row,
        'frame-not-number',
        'error',
        `Annotation ${row}: its image has no frame number; not read.`
      )
      return
    }
    if (!Array.isArray(kp) || kp.length < 3 || !kp.slice(0, 3).every((v) => typeof v === 'number')) {
      const msg = `Annotation ${row}: keypoints should be [x, y, v]; not read.`
      issues.add(row, 'missing-columns', 'error', msg, frame)
      return
    }
    const [x, y, v] = kp as number[]
    if (v === 0) return // "not labelled": the frame stays unknown
    const visible = v === 2
    const p: RowPoint = { frame, visible, x: visible ? x! : 0, y: visible ? y! : 0, row }
    if (typeof a.score === 'number') p.confidence = a.score
    points.push(p)
  })
  checkPoints(points, issues, options.video)
  checkFrames(points, issues, options.frameCount)
  return { points, issues: issues.list() }
}
