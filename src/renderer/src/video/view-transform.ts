// Runs in the renderer: the one place where video pixels meet screen pixels — fit, zoom around a point, pan,
// and the mapping both ways. Pure arithmetic on numbers, so every layer drawn over the frame (labels,
// predictions, onion skin, trail, motion view) and every click (place, move, snap, the loupe) share exactly
// one transform, and it is tested without a browser.
//
// Coordinates: video positions are the CSV's — pixel centres at integers, so pixel i covers [i − 0.5, i + 0.5).
// Screen positions are CSS pixels from the top-left corner of the view (the element the frame is shown in).

export interface Size {
  width: number
  height: number
}

/** What the user chose: how far in (1 = the whole frame fits) and the video point at the view's centre. */
export interface ViewState {
  zoom: number
  /** Video position at the centre of the view. */
  cx: number
  cy: number
}

/** screen = origin + scale · (video + 0.5), on each axis. */
export interface ViewTransform {
  /** Screen pixels per video pixel. */
  scale: number
  originX: number
  originY: number
  /** scale at fit: the frame's whole picture in the view, never enlarged past its own pixels. */
  fitScale: number
  zoom: number
  view: Size
  video: Size
}

export const MIN_ZOOM = 1
export const MAX_ZOOM = 32
/** One press of the zoom keys. */
export const KEY_ZOOM_STEP = 2

/** The whole frame, centred, as the studio always showed it: shrunk to fit, never enlarged. */
export function fitScale(view: Size, video: Size): number {
  if (!(video.width > 0 && video.height > 0 && view.width > 0 && view.height > 0)) return 1
  return Math.min(1, view.width / video.width, view.height / video.height)
}

export function fitState(video: Size): ViewState {
  return { zoom: 1, cx: video.width / 2 - 0.5, cy: video.height / 2 - 0.5 }
}

/**
 * Keeps a state reachable: the zoom within [MIN_ZOOM, MAX_ZOOM]; at 1x the frame is centred (the fit). Zoomed
 * in, on each axis a frame larger than the view never shows past its edge, and one still smaller than the
 * view stays wholly inside it — free to move there, so a zoom stays anchored at the cursor whenever it can.
 */
export function clampState(s: ViewState, view: Size, video: Size): ViewState {
  const zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, Number.isFinite(s.zoom) ? s.zoom : 1))
  const scale = fitScale(view, video) * zoom
  const fit = zoom <= MIN_ZOOM
  const axis = (c: number, viewLen: number, videoLen: number): number => {
    const mid = videoLen / 2 - 0.5
    if (fit || !Number.isFinite(c)) return mid
    // The centre's bounds: half a view from either edge of the frame — swapped when the frame is the smaller.
    const half = viewLen / (2 * scale)
    const a = half - 0.5
    const b = videoLen - half - 0.5
    return Math.min(Math.max(a, b), Math.max(Math.min(a, b), c))
  }
  return {
    zoom,
    cx: axis(s.cx, view.width, video.width),
    cy: axis(s.cy, view.height, video.height)
  }
}

export function transformOf(s: ViewState, view: Size, video: Size): ViewTransform {
  const fs = fitScale(view, video)
  const scale = fs * s.zoom
  return {
    scale,
    originX: view.width / 2 - (s.cx + 0.5) * scale,
    originY: view.height / 2 - (s.cy + 0.5) * scale,
    fitScale: fs,
    zoom: s.zoom,
    view,
    video
  }
}

export function screenX(t: ViewTransform, x: number): number {
  return t.originX + (x + 0.5) * t.scale
}
export function screenY(t: ViewTransform, y: number): number {
  return t.originY + (y + 0.5) * t.scale
}
export function videoX(t: ViewTransform, sx: number): number {
  return (sx - t.originX) / t.scale - 0.5
}
export function videoY(t: ViewTransform, sy: number): number {
  return (sy - t.originY) / t.scale - 0.5
}

/** True when a video position lies on the frame's picture (edges included). */
export function onFrame(t: ViewTransform, x: number, y: number): boolean {
  return x >= -0.5 && y >= -0.5 && x <= t.video.width - 0.5 && y <= t.video.height - 0.5
}

/**
 * Zooms by `factor` keeping the video point under the screen point (sx, sy) where it is — unless the frame's
 * edge would come into view, where the clamp wins.
 */
export function zoomAround(
  s: ViewState,
  view: Size,
  video: Size,
  factor: number,
  sx: number,
  sy: number
): ViewState {
  const t = transformOf(s, view, video)
  const x = videoX(t, sx)
  const y = videoY(t, sy)
  const zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, s.zoom * factor))
  const scale = t.fitScale * zoom
  // Solve screen(x) = sx for the new centre: sx = w/2 − (cx + 0.5)·scale + (x + 0.5)·scale.
  const cx = x - (sx - view.width / 2) / scale
  const cy = y - (sy - view.height / 2) / scale
  return clampState({ zoom, cx, cy }, view, video)
}

/** Moves the picture by (dx, dy) screen pixels (a drag). */
export function panBy(s: ViewState, view: Size, video: Size, dx: number, dy: number): ViewState {
  const scale = fitScale(view, video) * s.zoom
  return clampState({ zoom: s.zoom, cx: s.cx - dx / scale, cy: s.cy - dy / scale }, view, video)
}

/** Zoom factor of one wheel event: a notch (about 100 px) is √2, a trackpad's small deltas are smooth. */
export function wheelFactor(deltaY: number, deltaMode: number): number {
  const px = deltaMode === 1 ? deltaY * 33 : deltaMode === 2 ? deltaY * 400 : deltaY
  return Math.pow(2, -Math.max(-300, Math.min(300, px)) / 200)
}

/**
 * CSS that lays a layer of video resolution (the frame canvas, the motion view) under the transform: a box
 * the size of the fitted frame, centred, scaled about its top-left corner by the zoom and shifted by the pan.
 * The box itself only changes when the view is resized, so zooming and panning change `transform` alone:
 * no layout, only compositing.
 */
export function pixelLayerCss(t: ViewTransform): {
  left: string
  top: string
  width: string
  height: string
  transform: string
} {
  const w = t.video.width * t.fitScale
  const h = t.video.height * t.fitScale
  const left = (t.view.width - w) / 2
  const top = (t.view.height - h) / 2
  const dx = t.originX - left
  const dy = t.originY - top
  return {
    left: `${left}px`,
    top: `${top}px`,
    width: `${w}px`,
    height: `${h}px`,
    transform: t.zoom === 1 && dx === 0 && dy === 0 ? 'none' : `translate(${dx}px, ${dy}px) scale(${t.zoom})`
  }
}
