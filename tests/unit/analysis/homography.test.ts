// Runs in vitest (plain Node): the homography (normalised DLT) and the camera recovered from it — exact on exact
// correspondences, small errors on noisy clicks, clear errors on degenerate ones — against the synthetic
// generator's exported camera.
import { describe, expect, it } from 'vitest'
import { calibrate, courtOverlay } from '@shared/analysis/calibration'
import { cameraFromProjection, projectPoint } from '@shared/analysis/camera'
import { synthProjectionToCourt } from '@shared/analysis/calibration-file'
import { courtCorners, courtLines, netPostTops, type Point2 } from '@shared/analysis/court'
import {
  applyHomography,
  fitHomography,
  HomographyError,
  invertHomography,
  reprojectionError
} from '@shared/analysis/homography'

// A broadcast camera as the generator exports it (seed 1, 1280×720), centre-origin court coordinates.
const SYNTH_P = [
  1175.308396, 575.168577, -300.435943, 12272.520066, 11.664587, -254.772302, -1207.338182, 6165.886065,
  -0.007849, 0.875781, -0.482645, 18.755298
]
const SIZE = { width: 1280, height: 720 }

function lcg(seed: number): () => number {
  let s = seed
  return () => {
    s = (s * 16807) % 2147483647
    return s / 2147483647
  }
}

describe('fitHomography', () => {
  const H = [1.3, 0.2, 40, -0.1, 0.9, 25, 0.0006, 0.0011, 1]
  const src: Point2[] = [
    [0, 0],
    [300, 10],
    [310, 400],
    [-20, 380],
    [150, 200],
    [60, 90]
  ]
  const dst = src.map((p) => applyHomography(H, p)!)

  it('recovers an exact homography from 4 and from 6 correspondences (reprojection ~0)', () => {
    for (const n of [4, 6]) {
      const fit = fitHomography(src.slice(0, n), dst.slice(0, n))
      fit.forEach((h, i) => expect(h).toBeCloseTo(H[i]!, 6))
      expect(reprojectionError(fit, src, dst).max).toBeLessThan(1e-6)
    }
  })

  it('stays close with noisy points (1 px noise → error of the order of a pixel)', () => {
    const rnd = lcg(3)
    const noisy = dst.map(([u, v]) => [u + (rnd() - 0.5) * 2, v + (rnd() - 0.5) * 2] as Point2)
    const fit = fitHomography(src, noisy)
    const e = reprojectionError(fit, src, noisy)
    expect(e.rms).toBeGreaterThan(0.05)
    expect(e.rms).toBeLessThan(1.5)
    // Against the true image points it is no worse.
    expect(reprojectionError(fit, src, dst).max).toBeLessThan(2)
  })

  it('inverts, and refuses too few or collinear points', () => {
    const inv = invertHomography(H)
    const back = applyHomography(inv, applyHomography(H, [12, 34])!)!
    expect(back[0]).toBeCloseTo(12, 9)
    expect(back[1]).toBeCloseTo(34, 9)
    expect(() => fitHomography(src.slice(0, 3), dst.slice(0, 3))).toThrow(HomographyError)
    const line: Point2[] = [
      [0, 0],
      [1, 1],
      [2, 2],
      [3, 3]
    ]
    expect(() => fitHomography(line, dst.slice(0, 4))).toThrow(HomographyError)
  })
})

describe('court calibration', () => {
  const truth = cameraFromProjection(synthProjectionToCourt(SYNTH_P))
  const corners = courtCorners().map((c) => projectPoint(truth, [c[0], c[1], 0])!)
  const posts = netPostTops().map((p) => projectPoint(truth, p)!)

  it('maps the clicked corners exactly and draws the court lines where the camera sees them', () => {
    expect(calibrate({ imageSize: SIZE, corners }).floorError.max).toBeLessThan(1e-6)
    // With the posts one camera is fitted to all six clicks; exact clicks still reproject exactly.
    const cal = calibrate({ imageSize: SIZE, corners, posts })
    expect(cal.floorError.max).toBeLessThan(1e-3)
    const overlay = courtOverlay(cal)
    expect(overlay.filter((s) => s.kind !== 'post' && s.kind !== 'net-top')).toHaveLength(courtLines().length)
    for (const seg of overlay.filter((s) => s.kind === 'short-service')) {
      const l = courtLines().find(
        (c) => c.kind === 'short-service' && Math.abs(projectPoint(truth, [...c.a, 0])![1] - seg.a[1]) < 1e-3
      )
      expect(l).toBeDefined()
    }
  })

  it('recovers the focal length and camera position from corners + posts, reprojection ~0', () => {
    const cal = calibrate({ imageSize: SIZE, corners, posts })
    expect(cal.camera?.source).toBe('homography+posts')
    expect(cal.postError).toBeLessThan(0.01)
    expect(Math.abs(cal.camera!.focalPx - truth.focalPx) / truth.focalPx).toBeLessThan(0.002)
    cal.camera!.position.forEach((x, i) => expect(Math.abs(x - truth.position[i]!)).toBeLessThan(0.02))
  })

  it('estimates the camera from the corners alone (focal length from the homography)', () => {
    const cal = calibrate({ imageSize: SIZE, corners, posts: null })
    expect(cal.camera?.source).toBe('homography')
    expect(Math.abs(cal.camera!.focalPx - truth.focalPx) / truth.focalPx).toBeLessThan(0.01)
  })

  it('with 1 px click noise: posts error ~1 px, focal length within a few per cent', () => {
    const rnd = lcg(11)
    const jitter = (p: Point2): Point2 => [p[0] + (rnd() - 0.5) * 2, p[1] + (rnd() - 0.5) * 2]
    const cal = calibrate({ imageSize: SIZE, corners: corners.map(jitter), posts: posts.map(jitter) })
    expect(cal.postError!).toBeLessThan(2)
    // The click errors are shared between corners and posts, so the corners no longer fit exactly.
    expect(cal.floorError.rms).toBeGreaterThan(0.01)
    expect(cal.floorError.rms).toBeLessThan(2)
    expect(Math.abs(cal.camera!.focalPx - truth.focalPx) / truth.focalPx).toBeLessThan(0.05)
  })

  it('says what to do when the corners are not a court', () => {
    expect(() => calibrate({ imageSize: SIZE, corners: corners.slice(0, 3) })).toThrow(
      /four outer court corners/
    )
    expect(() =>
      calibrate({
        imageSize: SIZE,
        corners: [
          [0, 0],
          [10, 10],
          [20, 20],
          [30, 30]
        ]
      })
    ).toThrow(/click them again/)
  })
})
