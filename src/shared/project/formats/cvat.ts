// Runs everywhere (shared): CVAT "for video 1.1" XML, one points track for the shuttle. Every labelled frame
// is written as a keyframe (CVAT interpolates between keyframes, so a frame left out would come back as
// CVAT's guess); a frame labelled not visible is `outside="1"`. Unlabelled frames have no keyframe: CVAT
// cannot say "unknown", so they are what it makes of them on its side. Read back here, only the listed
// frames are labels — the studio's own export round-trips exactly.
import { IssueList } from '../../labels/issues'
import type { LabelPoint, RowPoint, VideoSize } from '../../labels/types'
import type { ReadResult } from './coco'
import { cellNumber } from '../../labels/parse'
import { checkFrames, checkPoints } from './point-checks'
import { checkWritable } from './writable'
import { attribute, blankComments, decodeEntities, elements, type XmlElement } from './xml-scan'

export interface CvatOptions {
  video: VideoSize
  frameCount: number
  /** The label's name in CVAT. */
  label?: string
}

// XML 1.0 has no way to write most C0 control characters, not even as references: they are dropped. Tab,
// newline and carriage return are written as references, since a parser turns them into spaces in attributes.
const esc = (s: string): string =>
  s
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/[\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`)

/** Shortest text that reads back as the same double. */
const num = (v: number): string => String(v)

export function writeCvat(points: readonly LabelPoint[], options: CvatOptions): string {
  checkWritable(points, options.frameCount)
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

/**
 * Reads the first complete points track (or the one named `label`). A small reader, enough for the XML CVAT
 * writes (no CDATA; comments are skipped); anything else is reported, not guessed.
 */
export function readCvat(
  raw: string,
  options: { video?: VideoSize; frameCount?: number; label?: string; maxIssuesPerCode?: number } = {}
): ReadResult {
  const issues = new IssueList(options.maxIssuesPerCode)
  const text = blankComments(raw)
  if (!/<annotations[\s>]/.test(text)) {
    issues.add(0, 'bad-header', 'error', 'Not a CVAT XML file: there is no <annotations> element.')
    return { points: [], issues: issues.list() }
  }
  const tracks = elements(text, 'track').filter((t) => t.body !== null)
  const track =
    tracks.find((t) => !options.label || attribute(t.attrs, 'label') === options.label) ?? tracks[0]
  if (!track || track.body === null) {
    issues.add(
      0,
      'empty-file',
      'error',
      'The CVAT file has no complete <track>: export "CVAT for video 1.1" with a points track.'
    )
    return { points: [], issues: issues.list() }
  }
  if (tracks.length > 1) {
    const used = attribute(track.attrs, 'label') ?? '?'
    issues.add(0, 'extra-columns', 'warning', `${tracks.length} tracks; read the one labelled "${used}".`)
  }
  const points: RowPoint[] = []
  const lineOf = lineCounter(text)
  for (const el of elements(track.body, 'points')) {
    const row = lineOf(track.bodyStart + el.start)
    const p = readPoint(el, row, issues)
    if (p) points.push(p)
  }
  checkPoints(points, issues, options.video)
  checkFrames(points, issues, options.frameCount)
  return { points, issues: issues.list() }
}

/** One <points> keyframe as a point, or null (reported) when it cannot be one. */
function readPoint(el: XmlElement, row: number, issues: IssueList): RowPoint | null {
  const frameText = attribute(el.attrs, 'frame')
  const frame = cellNumber(frameText)
  if (!Number.isSafeInteger(frame) || frame < 0) {
    issues.add(row, 'frame-not-number', 'error', `A <points> element has frame "${frameText}"; not read.`)
    return null
  }
  if (el.body === null) {
    issues.add(
      row,
      'missing-columns',
      'error',
      `Frame ${frame}: the <points> element is never closed; not read.`,
      frame
    )
    return null
  }
  const at = attribute(el.attrs, 'points')
  const xy = (at ?? '').split(';')[0]!.split(',').map(cellNumber)
  const visible = attribute(el.attrs, 'outside') !== '1'
  const [x, y] = xy
  if (visible && (xy.length < 2 || !Number.isFinite(x) || !Number.isFinite(y))) {
    issues.add(
      row,
      'coordinate-not-number',
      'error',
      `Frame ${frame}: points="${at}" is not x,y; not read.`,
      frame
    )
    return null
  }
  const p: RowPoint = { frame, visible, x: visible ? x! : 0, y: visible ? y! : 0, row }
  const conf = /<attribute name="confidence">([^<]*)<\/attribute>/.exec(el.body)?.[1]
  if (conf !== undefined) {
    const c = cellNumber(decodeEntities(conf))
    if (Number.isFinite(c)) p.confidence = c
    else {
      const msg = `Frame ${frame}: confidence "${conf}" is not a number; left out.`
      issues.add(row, 'confidence-out-of-range', 'warning', msg, frame)
    }
  }
  return p
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
