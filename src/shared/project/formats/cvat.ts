// Runs everywhere (shared): CVAT "for video 1.1" XML, one points track for the shuttle. Every labelled frame
// is written as a keyframe (CVAT interpolates between keyframes, so a frame left out would come back as
// CVAT's guess); a frame labelled not visible is `outside="1"`. Unlabelled frames have no keyframe: CVAT
// cannot say "unknown", so they are what it makes of them on its side. Read back here, only the listed
// frames are labels — the studio's own export round-trips exactly.
import { IssueList } from '../../labels/issues'
import type { LabelPoint, RowPoint, VideoSize } from '../../labels/types'
import type { ReadResult } from './coco'
import { checkFrames, checkPoints } from './point-checks'

export interface CvatOptions {
  video: VideoSize
  frameCount: number
  /** The label's name in CVAT. */
  label?: string
}

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** Shortest text that reads back as the same double. */
const num = (v: number): string => String(v)

export function writeCvat(points: readonly LabelPoint[], options: CvatOptions): string {
  const label = options.label ?? 'shuttlecock'
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<annotations>',
    '  <version>1.1</version>',
    '  <meta>',
    '    <task>',
    `      <size>${options.frameCount}</size>`,
    '      <mode>interpolation</mode>',
    `      <start_frame>0</start_frame>`,
    `      <stop_frame>${Math.max(0, options.frameCount - 1)}</stop_frame>`,
    `      <labels><label><name>${esc(label)}</name><type>points</type></label></labels>`,
    '      <original_size>',
    `        <width>${options.video.width}</width>`,
    `        <height>${options.video.height}</height>`,
    '      </original_size>',
    '    </task>',
    '  </meta>',
    `  <track id="0" label="${esc(label)}" source="manual">`
  ]
  let last = { x: 0, y: 0 }
  for (const p of [...points].sort((a, b) => a.frame - b.frame)) {
    // CVAT wants a position on outside frames too: the last known one, as CVAT itself writes.
    if (p.visible) last = { x: p.x, y: p.y }
    const at = p.visible ? `${num(p.x)},${num(p.y)}` : `${num(last.x)},${num(last.y)}`
    const outside = p.visible ? 0 : 1
    const score =
      p.confidence !== undefined ? `<attribute name="confidence">${num(p.confidence)}</attribute>` : ''
    lines.push(
      `    <points frame="${p.frame}" keyframe="1" outside="${outside}" occluded="0" points="${at}" z_order="0">${score}</points>`
    )
  }
  lines.push('  </track>', '</annotations>')
  return lines.join('\n') + '\n'
}

const attr = (tag: string, name: string): string | undefined =>
  new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1]

/**
 * Reads the first points track (or the one named `label`). A small regular-expression reader, enough for the
 * XML CVAT writes (attributes in double quotes, no CDATA); anything else is reported, not guessed.
 */
export function readCvat(
  text: string,
  options: { video?: VideoSize; frameCount?: number; label?: string; maxIssuesPerCode?: number } = {}
): ReadResult {
  const issues = new IssueList(options.maxIssuesPerCode)
  if (!/<annotations[\s>]/.test(text)) {
    issues.add(0, 'bad-header', 'error', 'Not a CVAT XML file: there is no <annotations> element.')
    return { points: [], issues: issues.list() }
  }
  const tracks = [...text.matchAll(/<track\b([^>]*)>([\s\S]*?)<\/track>/g)]
  const track = tracks.find((t) => !options.label || attr(t[1] ?? '', 'label') === options.label) ?? tracks[0]
  if (!track) {
    issues.add(
      0,
      'empty-file',
      'error',
      'The CVAT file has no <track>: export "CVAT for video 1.1" with a points track.'
    )
    return { points: [], issues: issues.list() }
  }
  if (tracks.length > 1) {
    const used = attr(track[1] ?? '', 'label') ?? '?'
    issues.add(0, 'extra-columns', 'warning', `${tracks.length} tracks; read the one labelled "${used}".`)
  }
  const body = track[2] ?? ''
  const offset = (track.index ?? 0) + (track[0].length - body.length - '</track>'.length)
  const points: RowPoint[] = []
  const lineOf = lineCounter(text)
  for (const m of body.matchAll(/<points\b([^>]*?)(\/>|>([\s\S]*?)<\/points>)/g)) {
    const tag = m[1] ?? ''
    const row = lineOf(offset + (m.index ?? 0))
    const frame = Number(attr(tag, 'frame'))
    if (!Number.isInteger(frame) || frame < 0) {
      issues.add(
        row,
        'frame-not-number',
        'error',
        `A <points> element has frame "${attr(tag, 'frame')}"; not read.`
      )
      continue
    }
    const xy = (attr(tag, 'points') ?? '').split(';')[0]?.split(',').map(Number) ?? []
    const visible = attr(tag, 'outside') !== '1'
    const [x, y] = xy
    if (visible && (xy.length < 2 || !Number.isFinite(x) || !Number.isFinite(y))) {
      const msg = `Frame ${frame}: points="${attr(tag, 'points')}" is not x,y; not read.`
      issues.add(row, 'coordinate-not-number', 'error', msg, frame)
      continue
    }
    const p: RowPoint = { frame, visible, x: visible ? x! : 0, y: visible ? y! : 0, row }
    const conf = /<attribute name="confidence">([^<]*)<\/attribute>/.exec(m[3] ?? '')?.[1]
    if (conf !== undefined && Number.isFinite(Number(conf))) p.confidence = Number(conf)
    points.push(p)
  }
  checkPoints(points, issues, options.video)
  checkFrames(points, issues, options.frameCount)
  return { points, issues: issues.list() }
}

/** Line numbers for increasing offsets, counting each newline once (a long track stays linear time). */
function lineCounter(text: string): (index: number) => number {
  let at = 0
  let line = 1
  return (index) => {
    for (; at < index; at++) if (text.charCodeAt(at) === 10) line++
    return line
  }
}
