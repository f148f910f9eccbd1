// Runs in Node (Vitest): the view transform — fit as the studio always showed a frame, zoom that keeps the
// pixel under the cursor still, pans that stop at the frame's edge, and the CSS of the pixel layers landing
// exactly where the overlays map.
import { describe, expect, it } from 'vitest'
import {
  clampState,
  fitScale,
  fitState,
  KEY_ZOOM_STEP,
  MAX_ZOOM,
  panBy,
  pixelLayerCss,
  screenX,
  screenY,
  transformOf,
  videoX,
  videoY,
  wheelFactor,
  zoomAround,
  type ViewState
} from './view-transform'

const view = { width: 1000, height: 700 }
const hd = { width: 1920, height: 1080 }

describe('fit', () => {
  it('shrinks a large frame to fit and centres it, and never enlarges a small one', () => {
    expect(fitScale(view, hd)).toBeCloseTo(1000 / 1920, 12)
    expect(fitScale(view, { width: 640, height: 360 })).toBe(1)
    const t = transformOf(fitState(hd), view, hd)
    // The picture's left edge (pixel 0's left side, x = -0.5) and right edge sit on the view's sides.
    expect(screenX(t, -0.5)).toBeCloseTo(0, 9)
    expect(screenX(t, 1919.5)).toBeCloseTo(1000, 9)
    expect(screenY(t, -0.5)).toBeCloseTo((700 - 1080 * t.scale) / 2, 9)
    const small = transformOf(fitState({ width: 640, height: 360 }), view, { width: 640, height: 360 })
    expect(screenX(small, -0.5)).toBeCloseTo(180, 9)
    expect(small.scale).toBe(1)
  })

  it('maps screen to video and back exactly, pixel centres at integers', () => {
    const s: ViewState = { zoom: 7.3, cx: 811.2, cy: 402.9 }
    const t = transformOf(clampState(s, view, hd), view, hd)
    for (const [x, y] of [
      [0, 0],
      [811.2, 402.9],
      [1919, 1079],
      [123.456, 987.654]
    ] as const) {
      expect(videoX(t, screenX(t, x))).toBeCloseTo(x, 9)
      expect(videoY(t, screenY(t, y))).toBeCloseTo(y, 9)
    }
    // The centre of the view shows the state's centre.
    expect(videoX(t, 500)).toBeCloseTo(811.2, 9)
    expect(videoY(t, 350)).toBeCloseTo(402.9, 9)
  })
})

describe('zoom', () => {
  it('keeps the video point under the cursor where it is, step after step, up to 8x and beyond', () => {
    let s = fitState(hd)
    const cursor = { x: 612.25, y: 301.75 }
    const under = videoX(transformOf(s, view, hd), cursor.x)
    const underY = videoY(transformOf(s, view, hd), cursor.y)
    for (let i = 0; i < 3; i++) s = zoomAround(s, view, hd, KEY_ZOOM_STEP, cursor.x, cursor.y)
    expect(s.zoom).toBe(8)
    const t = transformOf(s, view, hd)
    expect(videoX(t, cursor.x)).toBeCloseTo(under, 9)
    expect(videoY(t, cursor.y)).toBeCloseTo(underY, 9)
    // At 8x one screen pixel is an eighth of a fitted pixel: the mapping resolves far below a video pixel.
    expect(videoX(t, cursor.x + 1) - videoX(t, cursor.x)).toBeCloseTo(1 / t.scale, 9)
    expect(t.scale).toBeCloseTo(8 * (1000 / 1920), 9)
  })

  it('stays within 1x and the maximum, and zooming back out lands on the fit exactly', () => {
    let s = fitState(hd)
    for (let i = 0; i < 20; i++) s = zoomAround(s, view, hd, 2, 100, 100)
    expect(s.zoom).toBe(MAX_ZOOM)
    expect(MAX_ZOOM).toBeGreaterThanOrEqual(16)
    for (let i = 0; i < 20; i++) s = zoomAround(s, view, hd, 0.5, 900, 600)
    expect(s).toEqual(fitState(hd))
  })

  it('near an edge, zooming out keeps the frame edge at the view edge rather than showing past it', () => {
    const atEdge = panBy(zoomAround(fitState(hd), view, hd, 8, 500, 350), view, hd, 1e6, 0)
    expect(screenX(transformOf(atEdge, view, hd), -0.5)).toBeCloseTo(0, 9)
    // Unclamped, the edge would move to 900 − 900 / 2 = 450 px.
    const out = zoomAround(atEdge, view, hd, 0.5, 900, 350)
    expect(out.zoom).toBe(4)
    expect(screenX(transformOf(out, view, hd), -0.5)).toBeCloseTo(0, 9)
  })

  it('turns wheel deltas into smooth factors: down zooms out, up zooms in, a notch is √2', () => {
    expect(wheelFactor(-100, 0)).toBeCloseTo(Math.SQRT2, 12)
    expect(wheelFactor(100, 0)).toBeCloseTo(1 / Math.SQRT2, 12)
    expect(wheelFactor(-3, 1)).toBeCloseTo(wheelFactor(-99, 0), 12)
    expect(wheelFactor(-100000, 0)).toBeLessThanOrEqual(Math.pow(2, 1.5) + 1e-12)
  })
})

describe('pan', () => {
  it('moves the picture by the drag, and stops at the frame edge', () => {
    const s = zoomAround(fitState(hd), view, hd, 8, 500, 350)
    const t = transformOf(s, view, hd)
    const moved = transformOf(panBy(s, view, hd, 37.5, -12.25), view, hd)
    expect(screenX(moved, 900) - screenX(t, 900)).toBeCloseTo(37.5, 9)
    expect(screenY(moved, 500) - screenY(t, 500)).toBeCloseTo(-12.25, 9)
    const far = transformOf(panBy(s, view, hd, 1e6, 1e6), view, hd)
    expect(screenX(far, -0.5)).toBeCloseTo(0, 9)
    expect(screenY(far, -0.5)).toBeCloseTo(0, 9)
  })

  it('keeps a frame smaller than the view wholly inside it, and centred at 1x', () => {
    const small = { width: 320, height: 240 }
    // At 2x the frame is 640 px wide in a 1000 px view: centred it starts at 180; dragged right it stops at 360.
    const s = panBy({ zoom: 2, cx: 159.5, cy: 119.5 }, view, small, 300, 0)
    const t = transformOf(s, view, small)
    expect(screenX(t, -0.5)).toBeCloseTo(1000 - 640, 9)
    const nudged = transformOf(panBy({ zoom: 2, cx: 159.5, cy: 119.5 }, view, small, -50, 0), view, small)
    expect(screenX(nudged, -0.5)).toBeCloseTo(130, 9)
    // Zooming there keeps the point under the cursor, although the frame is smaller than the view.
    const before = transformOf({ zoom: 1, cx: 159.5, cy: 119.5 }, view, small)
    const z = transformOf(zoomAround(fitState(small), view, small, 1.5, 300, 300), view, small)
    expect(videoX(z, 300)).toBeCloseTo(videoX(before, 300), 9)
    expect(clampState({ zoom: 1, cx: 0, cy: 0 }, view, small)).toEqual(fitState(small))
    expect(clampState({ zoom: Number.NaN, cx: 0, cy: 0 }, view, small).zoom).toBe(1)
  })
})

describe('pixel layers', () => {
  it('are laid out so their pixels land where the overlays map them', () => {
    const s = panBy(zoomAround(fitState(hd), view, hd, 5.5, 321, 222), view, hd, -40, 17)
    const t = transformOf(s, view, hd)
    const css = pixelLayerCss(t)
    const left = parseFloat(css.left)
    const top = parseFloat(css.top)
    const m = /^translate\((-?[\d.e-]+)px, (-?[\d.e-]+)px\) scale\(([\d.e-]+)\)$/.exec(css.transform)!
    const [dx, dy, k] = [Number(m[1]), Number(m[2]), Number(m[3])]
    expect(parseFloat(css.width)).toBeCloseTo(1920 * t.fitScale, 9)
    // CSS: transform-origin at the box's top-left, so local point p lands at left + dx + k·p.
    for (const x of [-0.5, 0, 777.25, 1919.5]) {
      const local = (x + 0.5) * t.fitScale
      expect(left + dx + k * local).toBeCloseTo(screenX(t, x), 6)
    }
    const localY = (500 + 0.5) * t.fitScale
    expect(top + dy + k * localY).toBeCloseTo(screenY(t, 500), 6)
    expect(pixelLayerCss(transformOf(fitState(hd), view, hd)).transform).toMatch(/none|scale\(1\)/)
  })
})
