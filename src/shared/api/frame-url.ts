// Runs everywhere (shared): the frame URL path shared by browser mode (HTTP) and Electron (the custom
// protocol): /frames/<videoId>/<n>.jpg, and /frames/<videoId>/<n>.preview.jpg for what can be shown at once
// while frame n decodes (its answer says which frame it shows). One parser, so both hosts accept exactly the
// same URLs.
import { VideoId } from './schemas'

export interface FrameRequest {
  videoId: string
  frame: number
  preview: boolean
}

/** The response header (both hosts) that says which frame a preview shows. */
export const SHOWN_FRAME_HEADER = 'X-Shown-Frame'

const FRAME_PATH = /^\/frames\/([^/]+)\/(\d{1,9})(\.preview)?\.jpg$/

export function parseFramePath(pathname: string): FrameRequest | null {
  const m = FRAME_PATH.exec(pathname)
  if (!m) return null
  const id = VideoId.safeParse(m[1])
  if (!id.success) return null
  return { videoId: id.data, frame: Number(m[2]), preview: m[3] !== undefined }
}

export function framePath(videoId: string, frame: number, preview = false): string {
  return `/frames/${videoId}/${frame}${preview ? '.preview' : ''}.jpg`
}
