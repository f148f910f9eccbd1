// Runs in the renderer: readies a canvas that overlays the frame view — sized to the view in device pixels
// (resized only when that changes, so a redraw never reallocates its pixels) and cleared — for the layers that draw
// over the frame (the tracker's point, the labels).
export function readyOverlay(
  o: HTMLCanvasElement,
  view: { width: number; height: number }
): { ctx: CanvasRenderingContext2D; dpr: number } | null {
  const dpr = window.devicePixelRatio || 1
  const w = Math.max(1, Math.round(view.width * dpr))
  const h = Math.max(1, Math.round(view.height * dpr))
  if (o.width !== w || o.height !== h) {
    o.width = w
    o.height = h
  }
  const ctx = o.getContext('2d')
  if (!ctx) return null
  ctx.clearRect(0, 0, o.width, o.height)
  return { ctx, dpr }
}
