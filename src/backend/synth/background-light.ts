// Runs in the backend (plain Node): lights the background: the venue's light level and colour cast, the lens's
// vignetting, and the net composited on top, rounded to rgb24.
import type { NetLayer } from './background'
import type { Camera } from './camera'
import type { RGB } from './venue'

/** The lit rgb24 background of bw x bh pixels, the picture's centre at (cam.cx + margin, cam.cy + margin). */
export function lightBackground(
  albedo: Float32Array,
  cam: Camera,
  margin: number,
  bw: number,
  bh: number,
  gain: RGB,
  net: NetLayer
): Buffer {
  const lit = Buffer.alloc(bw * bh * 3)
  const cxImg = cam.cx + margin
  const cyImg = cam.cy + margin
  const rmax2 = cxImg * cxImg + cyImg * cyImg
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      // Lens vignetting: a gentle fall-off towards the corners, as on real broadcast glass.
      const vig = 1 - 0.22 * (((bx - cxImg) ** 2 + (by - cyImg) ** 2) / rmax2)
      const o = (by * bw + bx) * 3
      let r = albedo[o]! * gain[0] * vig
      let g = albedo[o + 1]! * gain[1] * vig
      let b = albedo[o + 2]! * gain[2] * vig
      const nx = bx - net.x0
      const ny = by - net.y0
      if (nx >= 0 && ny >= 0 && nx < net.w && ny < net.h) {
        const ni = ny * net.w + nx
        const a = net.alpha[ni]!
        if (a > 0) {
          r = r * (1 - a) + net.rgb[ni * 3]! * a
          g = g * (1 - a) + net.rgb[ni * 3 + 1]! * a
          b = b * (1 - a) + net.rgb[ni * 3 + 2]! * a
        }
      }
      lit[o] = r < 0 ? 0 : r > 255 ? 255 : r + 0.5
      lit[o + 1] = g < 0 ? 0 : g > 255 ? 255 : g + 0.5
      lit[o + 2] = b < 0 ? 0 : b > 255 ? 255 : b + 0.5
    }
  }
  return lit
}
