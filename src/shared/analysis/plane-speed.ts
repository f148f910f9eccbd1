// Runs everywhere (shared): the simple speed estimate: the image positions just after the hit mapped to the court
// plane through the homography, and their speed there. Valid only for a shuttle near the floor: a point above it
// maps further away along the camera's ray, and drag has already slowed the shuttle by the first frames, so the
// figure is biased (see the analysis README in the result's `assumptions`).
import type { Point2 } from './court'
import { applyHomography } from './homography'
import { fitPoly } from './local-fit'
import type { Observation } from './flight-fit'

/** km/h from the contact (time tau, image point) and the first observations after it. */
export function courtPlaneSpeed(
  imageToCourt: readonly number[],
  tau: number,
  contactPx: Point2,
  after: readonly Observation[],
  count = 3
): number | null {
  const pts: { t: number; p: Point2 }[] = []
  const c = applyHomography(imageToCourt, contactPx)
  if (c) pts.push({ t: tau, p: c })
  for (const o of after.slice(0, count)) {
    const q = applyHomography(imageToCourt, o.px)
    if (q) pts.push({ t: o.t, p: q })
  }
  if (pts.length < 2) return null
  const ts = pts.map((p) => p.t)
  const fx = fitPoly(
    ts,
    pts.map((p) => p.p[0]),
    1,
    tau
  )
  const fy = fitPoly(
    ts,
    pts.map((p) => p.p[1]),
    1,
    tau
  )
  if (!fx || !fy) return null
  return Math.hypot(fx.slope(tau), fy.slope(tau)) * 3.6
}
