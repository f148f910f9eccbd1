// Runs in the backend (plain Node): why a frame request of an open video failed, worded for the person who
// asked (what happened and what to do).
import { ApiError } from '../../shared/api/errors'
import type { FrameIndex } from './frame-index'
import type { VideoInfo } from './probe'

export function cancelled(): ApiError {
  return new ApiError('cancelled', 'The frame request was cancelled.')
}

export function closedError(): ApiError {
  return new ApiError('cancelled', 'The video was closed; open it again to show its frames.')
}

export function notReady(info: VideoInfo, n: number, waitMs: number): ApiError {
  return new ApiError(
    'io',
    `Frame ${n} of ${info.name} was not decoded within ${Math.round(waitMs / 1000)} s, so the request was ` +
      'dropped. The file may be on a slow or disconnected drive, or the computer is very busy; try again.'
  )
}

export function undecodable(info: VideoInfo, index: FrameIndex, n: number): ApiError {
  return new ApiError(
    'io',
    `Frame ${n} (at ${index.time(n).toFixed(3)} s) of ${info.name} could not be decoded: the file is probably ` +
      'damaged or cut off there. Re-copy or re-export the video; the other frames can still be used.'
  )
}
