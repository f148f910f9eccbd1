// Runs in the backend (plain Node): renders the static part of a match's picture once — court, lines, floor logos,
// light reflections, advertising boards, crowd, net and posts — with a margin for camera shake, plus a few noisy
// copies so each frame only has to copy rows of one of them. The net is also kept as a separate layer so that a
// player or shuttle behind it can be drawn with the net in front.
import { renderAlbedo } from './background-albedo'
import { boardShader } from './background-boards'
import { crowdShader } from './background-crowd'
import { floorShader } from './background-floor'
import { grainCopies } from './background-grain'
import { lightBackground } from './background-light'
import { renderNet } from './background-net'
import type { Camera } from './camera'
import type { Rng } from './prng'
import type { RGB, Venue } from './venue'

export interface NetLayer {
  /** Box in background coordinates. */
  x0: number
  y0: number
  w: number
  h: number
  /** Coverage 0-1 per pixel; >= OCCLUDING_NET_ALPHA where tape or a post hides what is behind it. */
  alpha: Float32Array
  /** Lit colour per pixel (rgb24). */
  rgb: Uint8Array
}

export const OCCLUDING_NET_ALPHA = 0.75

export interface Background {
  margin: number
  bw: number
  bh: number
  /** Noisy copies of the lit background; frames copy rows from one of them. */
  variants: Buffer[]
  net: NetLayer
  /** Zero-mean noise values for drawing moving objects with the same grain as the background. */
  noise: Int8Array
  /** Multiplier applied to object colours (light level times colour cast). */
  gain: RGB
}

export function renderBackground(rng: Rng, cam: Camera, venue: Venue, shakeMargin: number): Background {
  const M = shakeMargin
  const bw = cam.width + 2 * M
  const bh = cam.height + 2 * M
  // The order of the draws from rng is part of the picture: floor, crowd, boards, then the grain.
  const floor = floorShader(rng, cam, venue)
  const crowd = crowdShader(rng.nextU32(), venue, cam.height, M)
  const boards = boardShader(rng.nextU32(), venue)
  const albedo = renderAlbedo(cam, M, bw, bh, { floor, boards, crowd })
  const gain: RGB = [venue.light * venue.tint[0], venue.light * venue.tint[1], venue.light * venue.tint[2]]
  const net = renderNet(cam, venue, M, bw, bh, gain)
  const lit = lightBackground(albedo, cam, M, bw, bh, gain, net)
  const { noise, variants } = grainCopies(rng, venue.noise, lit)
  return { margin: M, bw, bh, variants, net, noise, gain }
}
