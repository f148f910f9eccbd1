// Runs in the renderer: lays an element exactly over the frame canvas (same screen box, relative to the
// element's positioned parent) — every overlay (tracker points, labels, motion view, court) uses this one
// rule, so they can never drift apart from the frame or from each other.
export function placeOver(frame: HTMLCanvasElement, el: HTMLElement): DOMRect | null {
  const host = el.parentElement
  if (!host) return null
  const r = frame.getBoundingClientRect()
  const h = host.getBoundingClientRect()
  Object.assign(el.style, {
    left: `${r.left - h.left}px`,
    top: `${r.top - h.top}px`,
    width: `${r.width}px`,
    height: `${r.height}px`
  })
  return r
}

/** Sizes a canvas overlay's backing store to its box at the device's pixel ratio. */
export function sizeForScreen(overlay: HTMLCanvasElement, box: DOMRect): number {
  const dpr = window.devicePixelRatio || 1
  overlay.width = Math.max(1, Math.round(box.width * dpr))
  overlay.height = Math.max(1, Math.round(box.height * dpr))
  return dpr
}
