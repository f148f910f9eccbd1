// Runs everywhere (shared): the frame URL path shared by browser mode (HTTP) and Electron (the custom
// protocol): /frames/<videoId>/<n>.jpg. One parser, so both hosts accept exactly the same URLs.
import { VideoId } from './schemas'

export interface FrameRequest {
  videoId: string
  frame: number
}

const FRAME_PATH = /^\/frames\/([^/]+)\/(\d{1,9})\.jpg$/

export function parseFramePath(pathname: string): FrameRequest | null {
  const m = FRAME_PATH.exec(pathname)
  if (!m) return null
  const id = VideoId.safeParse(m[1])
  if (!id.success) return null
  return { videoId: id.data, frame: Number(m[2]) }
}

export function framePath(videoId: string, frame: number): string {
  return `/frames/${videoId}/${frame}.jpg`
}
