// Runs in the backend (plain Node): everything fixed for one match (one broadcast camera in one venue): camera pose,
// venue look, shake strength and the pre-rendered background. Each part draws from its own seeded stream, so the
// labels do not depend on the render mode or on how many numbers the background used.
import { renderBackground, type Background, type NetLayer } from './background'
import { renderNet } from './background-net'
import { chooseCamera, type Camera } from './camera'
import type { RenderMode } from './frame'
import { Rng } from './prng'
import { chooseVenue, type Venue } from './venue'

export interface Scene {
  cam: Camera
  venue: Venue
  /** Peak shake of this camera operator, pixels. */
  shakeAmplitude: number
  /** Background margin: the largest shake offset any clip can produce. */
  margin: number
  background: Background | null
  net: NetLayer
}

/** Seed streams: fixed numbers so adding a new stream never changes the existing ones. */
export const STREAM = {
  camera: 1,
  venue: 2,
  shake: 3,
  background: 4,
  clipPlan: 100,
  clipShake: 10_000,
  clipFrames: 20_000
} as const

export function buildScene(seed: number, width: number, height: number, mode: RenderMode): Scene {
  const cam = chooseCamera(new Rng(seed, STREAM.camera), width, height)
  const venue = chooseVenue(new Rng(seed, STREAM.venue))
  const shakeAmplitude = new Rng(seed, STREAM.shake).range(0.2, 1.5) * (height / 1080)
  // makeShake sums three waves of at most 1, 0.5 and 0.5 times the amplitude.
  const margin = Math.ceil(2 * shakeAmplitude) + 1
  const background =
    mode === 'broadcast' ? renderBackground(new Rng(seed, STREAM.background), cam, venue, margin) : null
  const gain = background?.gain ?? [1, 1, 1]
  const net = background?.net ?? renderNet(cam, venue, margin, width + 2 * margin, height + 2 * margin, gain)
  return { cam, venue, shakeAmplitude, margin, background, net }
}
