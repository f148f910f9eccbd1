// Runs in plain Node (the command line): a plain-text table for the commands' summaries — the first column
// left-aligned (names), the others right-aligned (numbers), two spaces between columns.
export function textTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (r: readonly string[]): string =>
    r.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ')
  return [line(head), ...rows.map(line)].join('\n')
}
