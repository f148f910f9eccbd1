// Runs everywhere (shared): calibration files. The studio's own JSON (the clicked corners and posts, image size)
// and, for testing against known truth, the synthetic generator's synth.json (its exported camera, converted from
// the generator's centre-origin court coordinates to the analysis' corner origin).
import { z } from 'zod'
import { calibrate, calibrationFromCamera, type Calibration } from './calibration'
import { cameraFromProjection } from './camera'
import { COURT_LENGTH, COURT_WIDTH } from './court'

const Pt = z.tuple([z.number(), z.number()])
const Size = z.object({ width: z.number().int().positive(), height: z.number().int().positive() })

export const StudioCalibrationFile = z.object({
  format: z.literal('shuttle-studio-calibration'),
  version: z.literal(1),
  imageSize: Size,
  corners: z.array(Pt).length(4),
  posts: z.array(Pt).length(2).nullable().optional()
})
export type StudioCalibrationFile = z.infer<typeof StudioCalibrationFile>

const SynthFile = z.object({
  format: z.literal('shuttle-studio-synth'),
  size: Size,
  camera: z.object({ projection3x4: z.array(z.number()).length(12) })
})

export class CalibrationFileError extends Error {
  override name = 'CalibrationFileError'
}

/** The generator's projection in the analysis' coordinates: P·T, with T moving the origin to the near-left corner. */
export function synthProjectionToCourt(P: readonly number[]): number[] {
  const out = P.slice()
  for (let r = 0; r < 3; r++)
    out[r * 4 + 3] = P[r * 4 + 3]! - (COURT_WIDTH / 2) * P[r * 4]! - (COURT_LENGTH / 2) * P[r * 4 + 1]!
  return out
}

export function parseCalibrationFile(text: string): Calibration {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (e) {
    throw new CalibrationFileError(`not JSON: ${(e as Error).message}`)
  }
  const studio = StudioCalibrationFile.safeParse(data)
  if (studio.success) {
    const f = studio.data
    return calibrate({ imageSize: f.imageSize, corners: f.corners, posts: f.posts ?? null })
  }
  const synth = SynthFile.safeParse(data)
  if (synth.success) {
    const camera = cameraFromProjection(synthProjectionToCourt(synth.data.camera.projection3x4))
    return calibrationFromCamera(camera, synth.data.size)
  }
  const first = studio.error.issues[0]
  throw new CalibrationFileError(
    'expected a studio calibration {format: "shuttle-studio-calibration", version: 1, imageSize, corners[4], posts?[2]} ' +
      `or a synth.json; ${first ? `${first.path.join('.') || 'file'}: ${first.message}` : 'unrecognised'}`
  )
}

export function calibrationFileOf(cal: Calibration): StudioCalibrationFile {
  return {
    format: 'shuttle-studio-calibration',
    version: 1,
    imageSize: cal.imageSize,
    corners: cal.corners,
    posts: cal.posts
  }
}
