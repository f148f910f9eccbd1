// Runs everywhere (shared): a small Levenberg–Marquardt least-squares solver with a forward-difference Jacobian,
// for the few-parameter fits of the analysis (a stroke's launch, a camera's pose).
import { solve } from './linalg'

export const sumSq = (r: readonly number[]): number => r.reduce((s, x) => s + x * x, 0)

export function levenbergMarquardt(
  p0: number[],
  f: (p: readonly number[]) => number[] | null,
  iterations = 40
): { p: number[]; cost: number } | null {
  let p = p0.slice()
  let r = f(p)
  if (!r) return null
  let cost = sumSq(r)
  let lambda = 1e-3
  const n = p.length
  for (let it = 0; it < iterations; it++) {
    const J: number[][] = []
    for (let i = 0; i < n; i++) {
      const h = 1e-5 * Math.max(1, Math.abs(p[i]!))
      const q = p.slice()
      q[i]! += h
      const rq = f(q)
      if (!rq) return { p, cost }
      J.push(rq.map((x, k) => (x - r![k]!) / h))
    }
    const JtJ = new Array<number>(n * n).fill(0)
    const Jtr = new Array<number>(n).fill(0)
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < r.length; k++) Jtr[i]! += J[i]![k]! * r[k]!
      for (let j = i; j < n; j++) {
        let s = 0
        for (let k = 0; k < r.length; k++) s += J[i]![k]! * J[j]![k]!
        JtJ[i * n + j] = s
        JtJ[j * n + i] = s
      }
    }
    let improved = false
    for (let tries = 0; tries < 10; tries++) {
      const A = JtJ.slice()
      for (let i = 0; i < n; i++) A[i * n + i]! += lambda * Math.max(JtJ[i * n + i]!, 1e-9)
      const d = solve(
        A,
        Jtr.map((x) => -x),
        n
      )
      if (!d) {
        lambda *= 10
        continue
      }
      const q = p.map((x, i) => x + d[i]!)
      const rq = f(q)
      const cq = rq ? sumSq(rq) : Infinity
      if (cq < cost) {
        const small = cost - cq < 1e-10 * (1 + cost)
        p = q
        r = rq!
        cost = cq
        lambda = Math.max(lambda / 5, 1e-9)
        improved = !small
        break
      }
      lambda *= 8
    }
    if (!improved) break
  }
  return { p, cost }
}
