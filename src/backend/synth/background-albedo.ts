// Runs in the backend (plain Node): the unlit colour of every background pixel: the ray through the pixel is traced
// into the hall and shaded by what it meets first (floor, boards or crowd).
import type { Camera } from './camera'
import type { BoardShader } from './background-boards'
import type { CrowdShader } from './background-crowd'
import type { FloorShader } from './background-floor'
import { emptyHit, HIT_BOARD, HIT_FLOOR, pixelRays, traceHall } from './background-trace'

export interface HallShaders {
  floor: FloorShader
  boards: BoardShader
  crowd: CrowdShader
}

/** rgb per pixel of a bw x bh background whose pixel (margin, margin) is the picture's top-left pixel. */
export function renderAlbedo(
  cam: Camera,
  margin: number,
  bw: number,
  bh: number,
  shade: HallShaders
): Float32Array {
  const albedo = new Float32Array(bw * bh * 3)
  const col = [0, 0, 0]
  const hit = emptyHit()
  const C = cam.position
  const { c0, du, dv } = pixelRays(cam)
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      const u = bx - margin
      const v = by - margin
      const rx = c0[0] + u * du[0] + v * dv[0]
      const ry = c0[1] + u * du[1] + v * dv[1]
      const rz = c0[2] + u * du[2] + v * dv[2]
      traceHall(C, rx, ry, rz, hit)
      if (hit.kind === HIT_FLOOR) shade.floor(C[0] + hit.t * rx, C[1] + hit.t * ry, rx, ry, rz, col)
      else if (hit.kind === HIT_BOARD) shade.boards(hit.s, hit.z, hit.side, col)
      else shade.crowd(u, v, col)
      const o = (by * bw + bx) * 3
      albedo[o] = col[0]!
      albedo[o + 1] = col[1]!
      albedo[o + 2] = col[2]!
    }
  }
  return albedo
}
