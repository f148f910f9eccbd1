// Runs everywhere (shared): the metrics as a plain-text table for a terminal or a log — one row per clip,
// match or total, the same columns everywhere so rows can be compared by eye.
import type { MetricsSummary } from './summary'

export interface TableRow {
  name: string
  summary: MetricsSummary
  /** τ in video pixels, when the row has one (a clip). */
  tolerance?: number
}

const COLUMNS = [
  '',
  'TP',
  'FP1',
  'FP2',
  'FN',
  'TN',
  'prec',
  'recall',
  'F1',
  'acc',
  'd50',
  'd95',
  'τ'
] as const

const pct = (v: number): string => (100 * v).toFixed(2)
const px = (v: number | null | undefined): string => (v === null || v === undefined ? '-' : v.toFixed(2))

function cells(r: TableRow): string[] {
  const s = r.summary
  return [
    r.name,
    String(s.TP),
    String(s.FP1),
    String(s.FP2),
    String(s.FN),
    String(s.TN),
    pct(s.precision),
    pct(s.recall),
    pct(s.F1),
    pct(s.accuracy),
    px(s.distance.p50),
    px(s.distance.p95),
    px(r.tolerance)
  ]
}

/** Rows aligned in columns; `sections` are separated by a rule. Percentages for the ratios, pixels for d and τ. */
export function formatMetricsTable(sections: readonly (readonly TableRow[])[]): string {
  const body = sections.map((rows) => rows.map(cells))
  const all = [[...COLUMNS], ...body.flat()]
  const widths = COLUMNS.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)))
  const line = (row: string[]): string =>
    row.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ')
  const rule = widths.map((w) => '-'.repeat(w)).join('  ')
  const out = [line([...COLUMNS]), rule]
  body.forEach((rows, i) => {
    if (i > 0) out.push(rule)
    for (const row of rows) out.push(line(row))
  })
  return out.join('\n')
}
