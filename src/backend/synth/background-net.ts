// Runs in the backend (plain Node): the net and its posts as a separate layer (coverage and lit colour per pixel,
// 3 x 3 supersampled), so a player or shuttle beyond the net can be drawn with the net in front of it.
import type { NetLayer } from './background'
import { pixelRays } from './background-trace'
import type { Camera } from './camera'
import { COURT_HALF_WIDTH, NET_DEPTH, NET_TAPE, netTopAt } from './court'
import type { RGB, Venue } from './venue'

/** Mesh pitch and the share of it the cord covers (3.5 mm cord in a 19 mm mesh). */
const MESH_PITCH = 0.019
const MESH_CORD = 0.0035 / MESH_PITCH
const POST_HALF_WIDTH = 0.022
const POST_HEIGHT = 1.56

/** The net layer of a bw x bh background with margin M, lit by gain. */
export function renderNet(cam: Camera, venue: Venue, M: number, bw: number, bh: number, gain: RGB): NetLayer {
  const { x0, y0, w, h } = netBox(cam, M, bw, bh)
  const alpha = new Float32Array(w * h)
  const rgb = new Uint8Array(w * h * 3)
  const [Cx, Cy, Cz] = cam.position
  const { c0, du, dv } = pixelRays(cam)
  for (let py = 0; py < h; py++) {
    for (let px = 0; px < w; px++) {
      let n = 0
      let sr = 0
      let sg = 0
      let sb = 0
      for (let sy = -1; sy <= 1; sy++) {
        for (let sx = -1; sx <= 1; sx++) {
          const u = px + x0 - M + sx / 3
          const v = py + y0 - M + sy / 3
          const rx = c0[0] + u * du[0] + v * dv[0]
          const ry = c0[1] + u * du[1] + v * dv[1]
          const rz = c0[2] + u * du[2] + v * dv[2]
          if (ry <= 0) continue
          // Where the ray crosses the net's plane (y = 0).
          const t = -Cy / ry
          const c = netSurfaceAt(Cx + t * rx, Cz + t * rz, venue)
          if (c) {
            n++
            sr += c[0]
            sg += c[1]
            sb += c[2]
          }
        }
      }
      if (n === 0) continue
      const i = py * w + px
      alpha[i] = n / 9
      rgb[i * 3] = Math.min(255, (sr / n) * gain[0])
      rgb[i * 3 + 1] = Math.min(255, (sg / n) * gain[1])
      rgb[i * 3 + 2] = Math.min(255, (sb / n) * gain[2])
    }
  }
  return { x0, y0, w, h, alpha, rgb }
}

/** The net's box in background pixels: its corners and post tops projected, plus a safety border, clipped. */
function netBox(
  cam: Camera,
  M: number,
  bw: number,
  bh: number
): { x0: number; y0: number; w: number; h: number } {
  const pts: [number, number][] = []
  for (const x of [-COURT_HALF_WIDTH - 0.3, COURT_HALF_WIDTH + 0.3]) {
    for (const z of [0, 1.6]) {
      const [rx, ry, rz] = [x - cam.position[0], -cam.position[1], z - cam.position[2]]
      const R = cam.R
      const xc = R[0]! * rx + R[1]! * ry + R[2]! * rz
      const yc = R[3]! * rx + R[4]! * ry + R[5]! * rz
      const zc = R[6]! * rx + R[7]! * ry + R[8]! * rz
      pts.push([cam.cx + (cam.f * xc) / zc + M, cam.cy + (cam.f * yc) / zc + M])
    }
  }
  const x0 = Math.max(0, Math.floor(Math.min(...pts.map((p) => p[0]))) - 4)
  const x1 = Math.min(bw, Math.ceil(Math.max(...pts.map((p) => p[0]))) + 4)
  const y0 = Math.max(0, Math.floor(Math.min(...pts.map((p) => p[1]))) - 4)
  const y1 = Math.min(bh, Math.ceil(Math.max(...pts.map((p) => p[1]))) + 4)
  return { x0, y0, w: Math.max(0, x1 - x0), h: Math.max(0, y1 - y0) }
}

/** What is at point (X, 0, Z) of the net's plane: a post, the tape, the mesh's cord, or nothing (null). */
function netSurfaceAt(X: number, Z: number, venue: Venue): RGB | null {
  const ax = Math.abs(X)
  if (Math.abs(ax - COURT_HALF_WIDTH) < POST_HALF_WIDTH && Z >= 0 && Z <= POST_HEIGHT) return venue.post
  if (ax > COURT_HALF_WIDTH) return null
  const top = netTopAt(X)
  if (Z <= top && Z >= top - NET_TAPE) return venue.netTape
  if (Z < top - NET_TAPE && Z >= top - NET_DEPTH) {
    const fx = (X / MESH_PITCH) % 1
    const fz = (Z / MESH_PITCH) % 1
    if (Math.abs(fx) < MESH_CORD || Math.abs(fz) < MESH_CORD || Z < top - NET_DEPTH + 0.02)
      return venue.netMesh
  }
  return null
}
