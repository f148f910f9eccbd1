// Runs everywhere (shared): what putting a label file into a clip did, counted one way and said in one
// sentence, for the scan of CSVs found in a project at open and for "Import labels…" alike.

export interface LabelMergeReport {
  /** Frames the file labelled that the clip had no label for, or only a model's or interpolation's guess. */
  set: number
  /** Frames where the file agrees with an unreviewed model or interpolated label: now ground truth. */
  confirmedHidden: number
  confirmedVisible: number
  /** Frames where the file and a label a person made or reviewed disagree. */
  conflicts: number
  /** How conflicts were settled: the file's label ('file', the scan) or the person's ('studio', an import). */
  conflictsKept: 'file' | 'studio'
}

export const emptyMergeReport = (conflictsKept: LabelMergeReport['conflictsKept']): LabelMergeReport => ({
  set: 0,
  confirmedHidden: 0,
  confirmedVisible: 0,
  conflicts: 0,
  conflictsKept
})

export const mergeChanged = (r: LabelMergeReport): number =>
  r.set + r.confirmedHidden + r.confirmedVisible + (r.conflictsKept === 'file' ? r.conflicts : 0)

const n = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`

/** "160 frames set, 28 confirmed not visible, 3 conflicts kept as yours" (parts that are 0 are left out). */
export function describeMerge(r: LabelMergeReport): string {
  const parts = [`${n(r.set, 'frame')} set`]
  if (r.confirmedHidden) parts.push(`${r.confirmedHidden} confirmed not visible`)
  if (r.confirmedVisible) parts.push(`${r.confirmedVisible} confirmed visible`)
  if (r.conflicts) {
    parts.push(
      r.conflictsKept === 'file'
        ? `${n(r.conflicts, 'conflict')} with labels made in the studio, kept as your file says`
        : `${n(r.conflicts, 'conflict')} kept as yours`
    )
  }
  return parts.join(', ')
}
