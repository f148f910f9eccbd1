// Runs in the renderer: folds per-frame lane values into one value per pixel column, so a timeline of
// 200,000 frames draws as fast as one of 200 — the canvas only ever paints `width` columns per lane.

/** Categorical lanes: for each column, the most "important" category present (highest code wins). */
export function binMax(
  values: ArrayLike<number>,
  from: number,
  to: number,
  columns: number,
  out?: Int16Array
): Int16Array {
  const result = out && out.length === columns ? out : new Int16Array(columns)
  result.fill(-1)
  const span = Math.max(1, to - from)
  if (span < columns) return sampleColumns(values, from, span, columns, result, -1)
  for (let f = Math.max(0, from); f < Math.min(values.length, to); f++) {
    const col = Math.min(columns - 1, Math.floor(((f - from) / span) * columns))
    const v = values[f]!
    if (v > result[col]!) result[col] = v
  }
  return result
}

/** Numeric lanes (confidence): the minimum per column, so a single weak frame is never hidden. */
export function binMin(
  values: ArrayLike<number>,
  from: number,
  to: number,
  columns: number,
  out?: Float32Array
): Float32Array {
  const result = out && out.length === columns ? out : new Float32Array(columns)
  result.fill(Number.NaN)
  const span = Math.max(1, to - from)
  if (span < columns) return sampleColumns(values, from, span, columns, result, Number.NaN)
  for (let f = Math.max(0, from); f < Math.min(values.length, to); f++) {
    const v = values[f]!
    if (Number.isNaN(v)) continue
    const col = Math.min(columns - 1, Math.floor(((f - from) / span) * columns))
    const cur = result[col]!
    if (Number.isNaN(cur) || v < cur) result[col] = v
  }
  return result
}

/** The frame under a pixel column of a timeline showing frames [from, to). */
export function frameAtColumn(x: number, width: number, from: number, to: number): number {
  const t = Math.min(1, Math.max(0, x / Math.max(1, width)))
  return Math.min(to - 1, Math.max(from, Math.floor(from + t * (to - from))))
}

export function columnOfFrame(frame: number, width: number, from: number, to: number): number {
  return ((frame - from + 0.5) / Math.max(1, to - from)) * width
}

/** Zoomed in past one frame per column: each column shows the frame under its centre (no gaps). */
function sampleColumns<T extends Int16Array | Float32Array>(
  values: ArrayLike<number>,
  from: number,
  span: number,
  columns: number,
  out: T,
  empty: number
): T {
  for (let col = 0; col < columns; col++) {
    const f = from + Math.floor(((col + 0.5) / columns) * span)
    out[col] = f >= 0 && f < values.length ? values[f]! : empty
  }
  return out
}
