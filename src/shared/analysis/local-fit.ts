// Runs everywhere (shared): least-squares polynomials (degree ≤ 2) through a few samples, evaluated at a point —
// one-sided velocity estimates on either side of a frame, which is how hits (kinks of the path) are found.
import { solve } from './linalg'

export interface PolyFit {
  /** Coefficients c0 + c1·t + c2·t² (t relative to the origin passed in). */
  c: number[]
  at(t: number): number
  slope(t: number): number
}

export function fitPoly(
  ts: readonly number[],
  vs: readonly number[],
  degree: 1 | 2,
  origin = 0
): PolyFit | null {
  const d = Math.min(degree, ts.length - 1)
  if (d < 1) return null
  const n = d + 1
  const A = new Array<number>(n * n).fill(0)
  const b = new Array<number>(n).fill(0)
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i]! - origin
    const pow = [1, t, t * t]
    for (let r = 0; r < n; r++) {
      b[r]! += pow[r]! * vs[i]!
      for (let c = 0; c < n; c++) A[r * n + c]! += pow[r]! * pow[c]!
    }
  }
  const c = solve(A, b, n)
  if (!c) return null
  while (c.length < 3) c.push(0)
  return {
    c,
    at: (t) => c[0]! + c[1]! * (t - origin) + c[2]! * (t - origin) ** 2,
    slope: (t) => c[1]! + 2 * c[2]! * (t - origin)
  }
}

/** A 2-D path fitted by two polynomials in time. */
export interface PathFit {
  x: PolyFit
  y: PolyFit
}

export function fitPath(
  frames: readonly number[],
  xs: readonly number[],
  ys: readonly number[],
  degree: 1 | 2,
  origin = 0
): PathFit | null {
  const x = fitPoly(frames, xs, degree, origin)
  const y = fitPoly(frames, ys, degree, origin)
  return x && y ? { x, y } : null
}
