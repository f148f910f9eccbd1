// Runs in the backend (plain Node): what went wrong in a tracking run, by whose fault, so the command line can
// pick its exit code and the studio its message: the model, the video, writing the results, or a cancel.
import { ApiError } from '../../shared/api/errors'
import { ModelProblem } from './model-spec'
import { NotOnnxError } from './onnx-metadata'

export type TrackErrorKind = 'model' | 'video' | 'write' | 'cancelled' | 'internal'

export class TrackError extends Error {
  override name = 'TrackError'
  constructor(
    readonly kind: TrackErrorKind,
    message: string
  ) {
    super(message)
  }
}

/** What the file system says when it will not take a write: no permission, read-only, full (or over quota, or
 * past the largest file it or the process limit allows). */
const WRITE_REFUSALS = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'EFBIG'])

/** Classifies an error thrown while tracking `what` (a video path), keeping its message. */
export function asTrackError(e: unknown, video: string): TrackError {
  if (e instanceof TrackError) return e
  if (e instanceof ModelProblem) return new TrackError('model', e.message)
  if (e instanceof NotOnnxError) return new TrackError('model', `not an ONNX model: ${e.message}.`)
  const code = (e as NodeJS.ErrnoException | null)?.code
  if (code && WRITE_REFUSALS.has(code)) {
    return writeError((e as NodeJS.ErrnoException).path ?? 'the cache folder', e)
  }
  if (e instanceof ApiError) {
    if (e.code === 'cancelled') return new TrackError('cancelled', 'Tracking was cancelled.')
    if (e.code === 'no-ffmpeg') return new TrackError('video', e.message)
    if (e.code === 'internal') return new TrackError('internal', e.message)
    return new TrackError('video', `${video}: ${e.message}`)
  }
  return new TrackError('internal', e instanceof Error ? e.message : String(e))
}

/** A failure to write results: names the file and what to do. */
export function writeError(file: string, e: unknown): TrackError {
  const code = (e as NodeJS.ErrnoException).code
  const why =
    code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
      ? 'permission denied: choose a folder you can write to'
      : code === 'ENOSPC' || code === 'EDQUOT'
        ? 'the disk is full: free some space'
        : code === 'EFBIG'
          ? 'the file is too large for this disk or the size limit: choose another folder'
          : code === 'ENOENT'
            ? 'its folder does not exist'
            : (e as Error).message
  return new TrackError('write', `cannot write ${file} (${why}).`)
}
