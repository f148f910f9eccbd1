// Runs everywhere (shared): the desktop app's frame channel between the main process and the backend's
// utilityProcess. The main process serves frame URLs (studio://frames/…) and asks the backend for each frame's
// bytes over the parent port; the same port hands the backend the MessagePort of each window. Both sides import
// these schemas, so neither trusts what crosses the process boundary unchecked.
import { z } from 'zod'
import { ApiError } from './errors'
import type { RpcPeer } from './rpc-peer'

/** What the main process sends the backend: a window's port (it travels in the transfer list), or a frame request. */
export const FromMain = z.discriminatedUnion('type', [
  z.object({ type: z.literal('port') }),
  z.object({
    type: z.literal('frame'),
    reqId: z.number().int(),
    videoId: z.string(),
    frame: z.number().int().nonnegative(),
    /** Ask for what can be shown at once instead (a keyframe preview or a nearby decoded frame), if anything. */
    preview: z.boolean().optional()
  })
])
export type FromMain = z.infer<typeof FromMain>
export type FrameRequest = Extract<FromMain, { type: 'frame' }>

/** The backend's answer to a frame request: the encoded frame, or why there is none. */
export const FrameReply = z.union([
  z.object({
    type: z.literal('frame'),
    reqId: z.number(),
    ok: z.literal(true),
    // Any Uint8Array (a Node Buffer is one); z.instanceof would narrow the type to an ArrayBuffer-backed one.
    bytes: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'frame bytes are a Uint8Array'),
    /** The frame the bytes show: the one asked for, another for a preview, -1 (and no bytes) for no preview. */
    shown: z.number().int().min(-1)
  }),
  z.object({
    type: z.literal('frame'),
    reqId: z.number(),
    ok: z.literal(false),
    code: z.string(),
    message: z.string()
  })
])
export type FrameReply = z.infer<typeof FrameReply>

/** One frame the main process asks for. */
export interface FrameAsk {
  videoId: string
  frame: number
  preview?: boolean
}

/** A frame's JPEG and the frame it shows (see FrameReply). */
export interface FrameAnswer {
  bytes: Uint8Array
  shown: number
}

/** What the backend can show at once for a frame: the picture and the frame it is. */
export interface PreviewPicture {
  frame: number
  bytes: Uint8Array
}

export type FramePeer = RpcPeer<FrameAsk, FrameAnswer>

export const frameRequest = (reqId: number, ask: FrameAsk): FrameRequest => ({
  type: 'frame',
  reqId,
  videoId: ask.videoId,
  frame: ask.frame,
  ...(ask.preview ? { preview: true } : {})
})

/** A message from the backend on the parent port: a frame reply settles its request; anything else is ignored. */
export function deliverFrameReply(peer: FramePeer, data: unknown): void {
  const reply = FrameReply.safeParse(data)
  if (!reply.success) return
  if (reply.data.ok) peer.resolve(reply.data.reqId, { bytes: reply.data.bytes, shown: reply.data.shown })
  else peer.reject(reply.data.reqId, Object.assign(new Error(reply.data.message), { code: reply.data.code }))
}

/**
 * The backend's side: answers one frame request with the bytes `frameOf` gives (a preview request with what
 * `previewOf` gives, which never waits for a decoder), or with the error's code
 * (`internal` for anything but an ApiError) and message. Never throws: every request gets a reply the main
 * process accepts, even for a thrown non-Error (which would otherwise leave its frame waiting for ever).
 */
export async function answerFrameRequest(
  request: FrameRequest,
  frameOf: (videoId: string, frame: number) => Promise<Uint8Array>,
  previewOf: (videoId: string, frame: number) => PreviewPicture | null
): Promise<FrameReply> {
  const { reqId, videoId, frame } = request
  try {
    if (request.preview) {
      const p = previewOf(videoId, frame)
      return { type: 'frame', reqId, ok: true, bytes: p?.bytes ?? new Uint8Array(0), shown: p?.frame ?? -1 }
    }
    return { type: 'frame', reqId, ok: true, bytes: await frameOf(videoId, frame), shown: frame }
  } catch (err) {
    const code = err instanceof ApiError ? err.code : 'internal'
    const message = err instanceof Error ? err.message : String(err)
    return { type: 'frame', reqId, ok: false, code, message }
  }
}
