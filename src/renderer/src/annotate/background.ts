// Runs in the renderer: the open video's median background — what the motion view subtracts and what snapping
// finds the moving shuttle against. Computed once per video from frames spread over it (fetching and decoding
// them takes a moment) and shared by everything that needs it while that video is open.
import { medianBackground } from './motion'

export interface Background {
  /** RGBA, width × height. */
  data: Uint8ClampedArray
  width: number
  height: number
}

const SAMPLES = 15
let forVideo: string | null = null
let pending: Promise<Background> | null = null

export function backgroundOf(
  videoId: string,
  frameUrl: (n: number) => string,
  frameCount: number
): Promise<Background> {
  if (forVideo === videoId && pending) return pending
  forVideo = videoId
  const made = compute(frameUrl, frameCount)
  pending = made
  // A failed attempt (the backend restarting, say) is not remembered: the next caller tries again.
  made.catch(() => {
    if (pending === made) {
      pending = null
      forVideo = null
    }
  })
  return made
}

async function compute(frameUrl: (n: number) => string, frameCount: number): Promise<Background> {
  const samples = Math.min(SAMPLES, frameCount)
  const frames: Uint8ClampedArray[] = []
  const scratch = document.createElement('canvas')
  let width = 0
  let height = 0
  for (let i = 0; i < samples; i++) {
    const n = Math.floor(((i + 0.5) / samples) * frameCount)
    const res = await fetch(frameUrl(n))
    if (!res.ok) throw new Error(`frame ${n} for the background: HTTP ${res.status}`)
    const bmp = await createImageBitmap(await res.blob())
    scratch.width = bmp.width
    scratch.height = bmp.height
    const ctx = scratch.getContext('2d', { willReadFrequently: true })!
    ctx.drawImage(bmp, 0, 0)
    frames.push(ctx.getImageData(0, 0, bmp.width, bmp.height).data)
    width = bmp.width
    height = bmp.height
    bmp.close()
  }
  return { data: medianBackground(frames), width, height }
}
