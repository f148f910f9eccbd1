// Runs in plain Node (the command line): the words `shuttle-studio adapt` prints — what it will train on and hold
// back, per clip, before it starts, and one progress line per evaluation where stderr is not a terminal.
import type { AdaptSummary } from '../../backend/adapt/adapt-data'
import { textTable } from '../text-table'

export function formatAdaptSummary(s: AdaptSummary): string {
  const head = ['clip', 'labelled', 'visible', 'not visible', 'reviewed', 'train', 'held back']
  const rows = s.clips.map((c) => [
    `${c.match}/${c.clip}`,
    String(c.labelled),
    String(c.visible),
    String(c.invisible),
    String(c.reviewed),
    String(c.train),
    c.heldBack === 'clip'
      ? `${c.held} (whole clip)`
      : c.heldBack === 'time'
        ? `${c.held} (from frame ${c.heldFrom})`
        : '0'
  ])
  const out = [textTable(head, rows)]
  out.push(`${s.trainFrames} frames to train on, ${s.heldFrames} held back to measure F1.`)
  const bad = s.clips.reduce((n, c) => n + c.badRows, 0)
  if (bad) out.push(`${bad} label rows skipped (unreadable, off the picture, beyond the video or repeated).`)
  const notPeople = s.clips.reduce((n, c) => n + c.notByPeople, 0)
  if (notPeople)
    out.push(`${notPeople} labels are the tracker's or interpolated, unreviewed: not trained on.`)
  return out.join('\n')
}

export const percent = (f: number | null | undefined): string =>
  f === null || f === undefined ? '-' : `${(f * 100).toFixed(1)} %`
