// Runs in the renderer: what a timeline lane is — a name, per-frame values and how to colour them. The
// annotation view builds lanes from the clip's labels (visibility, confidence, source, review state, and
// TP/FP/FN where ground truth exists); the timeline only draws them.
export interface CategoryLane {
  kind: 'category'
  name: string
  /** One code per frame; -1 or absent = nothing to draw. */
  values: ArrayLike<number>
  /** Colour per code. */
  colors: readonly string[]
  /** Label per code, for the legend and tooltips. */
  labels: readonly string[]
}

export interface NumericLane {
  kind: 'numeric'
  name: string
  /** 0..1 per frame; NaN = no value. */
  values: ArrayLike<number>
  color: string
}

export type Lane = CategoryLane | NumericLane
