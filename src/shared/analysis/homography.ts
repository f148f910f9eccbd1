// Runs everywhere (shared): plane-to-plane homographies by the normalised direct linear transform (Hartley):
// fit from 4+ correspondences, apply, invert, and the reprojection error that tells the user how well their
// clicks agree with the court model.
import { invert3, symmetricEigen } from './linalg'
import type { Point2 } from './court'

/** 3×3, row-major, acting on (x, y, 1) column vectors. */
export type Mat3 = number[]

export class HomographyError extends Error {
  override name = 'HomographyError'
}

/** Similarity moving the points' centroid to 0 and their mean distance to √2 (conditions the DLT). */
function normaliser(pts: readonly Point2[]): Mat3 {
  const n = pts.length
  const cx = pts.reduce((s, p) => s + p[0], 0) / n
  const cy = pts.reduce((s, p) => s + p[1], 0) / n
  const d = pts.reduce((s, p) => s + Math.hypot(p[0] - cx, p[1] - cy), 0) / n
  if (!(d > 0)) throw new HomographyError('the points all coincide')
  const k = Math.SQRT2 / d
  return [k, 0, -k * cx, 0, k, -k * cy, 0, 0, 1]
}

export function applyHomography(H: readonly number[], p: Point2): Point2 | null {
  const w = H[6]! * p[0] + H[7]! * p[1] + H[8]!
  if (Math.abs(w) < 1e-12) return null
  return [(H[0]! * p[0] + H[1]! * p[1] + H[2]!) / w, (H[3]! * p[0] + H[4]! * p[1] + H[5]!) / w]
}

function mul(a: readonly number[], b: readonly number[]): Mat3 {
  const r: number[] = []
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++)
      r.push(a[i * 3]! * b[j]! + a[i * 3 + 1]! * b[3 + j]! + a[i * 3 + 2]! * b[6 + j]!)
  return r
}

/** Scales H so that H[8] = 1 (or its largest entry is 1 when H[8] is ~0), for stable printing and comparing. */
export function normaliseScale(H: readonly number[]): Mat3 {
  const s = Math.abs(H[8]!) > 1e-12 ? H[8]! : Math.max(...H.map(Math.abs))
  return H.map((h) => h / s)
}

/** Returns H with dst ≈ H·src. Needs 4+ pairs, no three of the first four collinear. */
export function fitHomography(src: readonly Point2[], dst: readonly Point2[]): Mat3 {
  if (src.length !== dst.length) throw new HomographyError('source and target point counts differ')
  if (src.length < 4) throw new HomographyError('a homography needs at least 4 point pairs')
  const Ts = normaliser(src)
  const Td = normaliser(dst)
  const ns = src.map((p) => applyHomography(Ts, p)!)
  const nd = dst.map((p) => applyHomography(Td, p)!)
  // Accumulate AᵀA (9×9) directly: its smallest eigenvector is the least-squares null vector of A.
  const ata = new Array<number>(81).fill(0)
  const addRow = (r: number[]): void => {
    for (let i = 0; i < 9; i++) for (let j = 0; j < 9; j++) ata[i * 9 + j]! += r[i]! * r[j]!
  }
  for (let i = 0; i < ns.length; i++) {
    const [x, y] = ns[i]!
    const [u, v] = nd[i]!
    addRow([0, 0, 0, -x, -y, -1, v * x, v * y, v])
    addRow([x, y, 1, 0, 0, 0, -u * x, -u * y, -u])
  }
  const { values, vectors } = symmetricEigen(ata, 9)
  // A second (near-)zero eigenvalue means the points do not pin the homography down (collinear clicks).
  if (values[1]! < 1e-10 * Math.max(1, values[8]!))
    throw new HomographyError('the points are degenerate (collinear)')
  const Hn = vectors[0]!
  const TdInv = invert3(Td)!
  const H = mul(mul(TdInv, Hn), Ts)
  if (!H.every(Number.isFinite) || invert3(H) === null)
    throw new HomographyError('the fitted homography is singular')
  return normaliseScale(H)
}

export function invertHomography(H: readonly number[]): Mat3 {
  const inv = invert3(H)
  if (!inv) throw new HomographyError('the homography is singular')
  return normaliseScale(inv)
}

export interface ReprojectionError {
  /** Root-mean-square distance between H·src and dst (dst units, e.g. pixels). */
  rms: number
  max: number
  perPoint: number[]
}

export function reprojectionError(
  H: readonly number[],
  src: readonly Point2[],
  dst: readonly Point2[]
): ReprojectionError {
  const perPoint = src.map((p, i) => {
    const q = applyHomography(H, p)
    return q ? Math.hypot(q[0] - dst[i]![0], q[1] - dst[i]![1]) : Infinity
  })
  const rms = Math.sqrt(perPoint.reduce((s, d) => s + d * d, 0) / Math.max(1, perPoint.length))
  return { rms, max: Math.max(0, ...perPoint), perPoint }
}
