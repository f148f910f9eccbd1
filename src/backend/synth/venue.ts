// Runs in the backend (plain Node): the look of a "venue" drawn from the seed: mat and surround colours
// (green, blue or red-brown courts), light level and colour cast, boards, crowd, player kits and camera noise.
import type { Rng } from './prng'

export type RGB = [number, number, number]

export interface Venue {
  name: string
  court: RGB
  surround: RGB
  line: RGB
  /** Overall light level (1 = a well-lit TV arena) and per-channel colour cast of the lights. */
  light: number
  tint: RGB
  boards: RGB[]
  boardLogo: RGB
  floorLogo: RGB
  crowdLight: number
  netMesh: RGB
  netTape: RGB
  post: RGB
  /** Strength (0-1) of the ceiling-light reflections on the floor. */
  glare: number
  /** Standard deviation of the camera noise, in 8-bit levels. */
  noise: number
  kits: { shirt: RGB; shorts: RGB; skin: RGB; hair: RGB }[]
}

const MATS: { name: string; court: RGB; surrounds: RGB[] }[] = [
  {
    name: 'green',
    court: [28, 112, 84],
    surrounds: [
      [34, 70, 120],
      [60, 62, 70],
      [150, 108, 66]
    ]
  },
  {
    name: 'blue',
    court: [36, 84, 150],
    surrounds: [
      [30, 44, 80],
      [40, 110, 90],
      [140, 100, 62]
    ]
  },
  {
    name: 'red-brown',
    court: [132, 62, 46],
    surrounds: [
      [40, 60, 110],
      [70, 66, 62],
      [35, 90, 70]
    ]
  }
]

const SHIRTS: RGB[] = [
  [200, 30, 40],
  [20, 60, 170],
  [240, 200, 30],
  [20, 150, 80],
  [240, 110, 20],
  [120, 40, 150],
  [30, 30, 35],
  [230, 230, 235],
  [0, 160, 190],
  [220, 60, 130]
]

const SKINS: RGB[] = [
  [236, 188, 150],
  [214, 160, 120],
  [180, 124, 88],
  [130, 86, 58],
  [92, 60, 42]
]

const BOARD_COLOURS: RGB[] = [
  [200, 20, 30],
  [10, 60, 160],
  [250, 200, 0],
  [20, 20, 24],
  [0, 130, 70],
  [240, 120, 0],
  [90, 20, 120],
  [0, 150, 200]
]

function jitter(rng: Rng, c: RGB, amount: number): RGB {
  return [c[0] + rng.normal(0, amount), c[1] + rng.normal(0, amount), c[2] + rng.normal(0, amount)]
}

export function chooseVenue(rng: Rng): Venue {
  const mat = rng.pick(MATS)
  const shirtA = rng.int(0, SHIRTS.length - 1)
  // The two players wear different colours, as in a real match.
  const shirtB = (shirtA + rng.int(1, SHIRTS.length - 1)) % SHIRTS.length
  const kit = (shirt: RGB): Venue['kits'][number] => ({
    shirt: jitter(rng, shirt, 8),
    shorts: rng.pick<RGB>([[25, 25, 30], [235, 235, 238], [20, 40, 110], shirt]),
    skin: rng.pick(SKINS),
    hair: rng.pick<RGB>([
      [20, 16, 14],
      [50, 34, 22],
      [110, 80, 50],
      [190, 160, 110]
    ])
  })
  const boards: RGB[] = []
  const n = rng.int(2, 4)
  for (let i = 0; i < n; i++) boards.push(rng.pick(BOARD_COLOURS))
  return {
    name: mat.name,
    court: jitter(rng, mat.court, 6),
    surround: jitter(rng, rng.pick(mat.surrounds), 6),
    line: [236, 238, 236],
    light: rng.range(0.72, 1.12),
    tint: [rng.range(0.94, 1.06), rng.range(0.97, 1.03), rng.range(0.9, 1.06)],
    boards,
    boardLogo: rng.chance(0.7) ? [245, 245, 245] : [250, 220, 60],
    floorLogo: rng.chance(0.6) ? [235, 235, 235] : [200, 200, 60],
    crowdLight: rng.range(0.35, 0.75),
    netMesh: [22, 22, 26],
    netTape: [240, 240, 240],
    post: rng.pick<RGB>([
      [30, 90, 160],
      [30, 30, 34],
      [180, 30, 30],
      [220, 220, 220]
    ]),
    glare: rng.range(0.05, 0.45),
    noise: rng.range(1.0, 3.0),
    kits: [kit(SHIRTS[shirtA]!), kit(SHIRTS[shirtB]!)]
  }
}
