// Runs everywhere (shared): match analysis in one import — court model and calibration, rallies, hits, speeds.
export * from './court'
export * from './types'
export {
  calibrate,
  calibrationFromCamera,
  courtOverlay,
  imageToCourt,
  courtToImage,
  CalibrationError
} from './calibration'
export type { Calibration, CalibrationInput, ImageSegment, ImageSize } from './calibration'
export {
  fitHomography,
  applyHomography,
  invertHomography,
  reprojectionError,
  HomographyError
} from './homography'
export type { Mat3 } from './homography'
export { cameraFromProjection, estimateCamera, projectPoint, verticalPixelsPerMetre } from './camera'
export type { CameraModel } from './camera'
export { analyseTrack } from './analyse'
export { addHit, hitEditsFileOf, moveHit, parseHitEditsFile, removeHit, HitEditsFileError } from './hit-edits'
export type { HitEdits } from './hit-edits'
export { speedMethodFor, topSpeed, SPEED_METHODS } from './speed-method'
export type { SpeedMethod } from './speed-method'
export type { AnalyseInput } from './analyse'
export { DEFAULT_OPTIONS } from './options'
export type { AnalysisOptions } from './options'
export { trackFromPoints } from './track'
export type { Track } from './track'
