// Runs in Node (Vitest): the desktop app's frame channel, both ends as the main process and the backend's
// utilityProcess run them, on a real MessagePort pair (worker_threads) with a real video service decoding a real
// clip with ffmpeg. Frames asked for together come back each to its own request; a frame the backend cannot
// give fails with the backend's code and message; a malformed request is refused by the shared schema; and
// every request gets a reply the main process accepts, whatever the backend threw.
import path from 'node:path'
import { MessageChannel, type MessagePort } from 'node:worker_threads'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { locateFfmpeg } from '../../../src/backend/ffmpeg/locate'
import { EventBus } from '../../../src/backend/rpc/event-bus'
import { VideoService } from '../../../src/backend/video/video-service'
import { ApiError } from '@shared/api/errors'
import {
  answerFrameRequest,
  deliverFrameReply,
  FrameReply,
  frameRequest,
  FromMain,
  type FramePeer
} from '@shared/api/frame-channel'
import { RpcPeer } from '@shared/api/rpc-peer'
import { frameNumbersOfJpegs } from '../../helpers/jpeg-frames'
import { makeTestVideo } from '../../helpers/test-videos'
import { makeVideoTestDir } from '../../helpers/video-test-dir'

const tmp = makeVideoTestDir('frame-channel')
let service: VideoService
let videoId: string

beforeAll(async () => {
  const ffmpeg = await locateFfmpeg()
  const file = await makeTestVideo('cfr', tmp.dir) // 120 frames, 320×240
  service = new VideoService(ffmpeg, null, path.join(tmp.dir, 'cache'), new EventBus())
  videoId = (await service.openVideo({ path: file })).videoId
})
afterAll(() => {
  service?.dispose()
  tmp.remove()
})

/** The backend's end, as utility.ts wires the parent port: checks each message, answers frame requests. */
function backendEnd(port: MessagePort): { refused: unknown[] } {
  const refused: unknown[] = []
  port.on('message', async (data: unknown) => {
    const msg = FromMain.safeParse(data)
    if (!msg.success) return void refused.push(data)
    if (msg.data.type !== 'frame') return
    port.postMessage(
      await answerFrameRequest(
        msg.data,
        (id, n) => service.frame(id, n),
        (id, n) => service.framePreview(id, n)
      )
    )
  })
  return { refused }
}

const noPreview = (): null => null

/** The main process's end, as backend-process.ts wires the child: a peer whose replies come on the port. */
function mainEnd(port: MessagePort): FramePeer {
  const peer: FramePeer = new RpcPeer()
  port.on('message', (data: unknown) => deliverFrameReply(peer, data))
  peer.connect((reqId, ask) => port.postMessage(frameRequest(reqId, ask)))
  return peer
}

async function withChannel<T>(body: (main: FramePeer, backend: { refused: unknown[] }) => Promise<T>) {
  const { port1, port2 } = new MessageChannel()
  try {
    return await body(mainEnd(port1), backendEnd(port2))
  } finally {
    port1.close()
    port2.close()
  }
}

describe('frame channel between the main process and the backend', () => {
  it('frames asked for together each come back to their own request', async () => {
    await withChannel(async (main) => {
      const frames = [37, 5, 90, 0, 119]
      const answers = await Promise.all(frames.map((frame) => main.request({ videoId, frame })))
      for (const a of answers) expect(a.bytes).toBeInstanceOf(Uint8Array)
      expect(answers.map((a) => a.shown)).toEqual(frames)
      const decoded = await frameNumbersOfJpegs(
        answers.map((a) => Buffer.from(a.bytes)),
        320,
        240
      )
      expect(decoded).toEqual(frames)
      expect(main.pendingCount).toBe(0)
    })
  })

  it("a frame the backend cannot give fails with the backend's code and message", async () => {
    await withChannel(async (main) => {
      const err = await main.request({ videoId: 'closed-video', frame: 3 }).then(
        () => null,
        (e: unknown) => e as Error & { code?: string }
      )
      expect(err).toBeInstanceOf(Error)
      expect(err!.code).toBe('not-found')
      expect(err!.message).toMatch(/^Video closed-video is not open/)
    })
  })

  it('a malformed frame request is refused by the shared schema and never reaches the video service', async () => {
    const { port1, port2 } = new MessageChannel()
    try {
      const backend = backendEnd(port2)
      const replies: unknown[] = []
      port1.on('message', (m: unknown) => replies.push(m))
      const bad = [
        { type: 'frame', reqId: 1, videoId, frame: -1 },
        { type: 'frame', reqId: 2, videoId, frame: 1.5 },
        { type: 'frame', reqId: 3, frame: 1 },
        { type: 'nonsense' }
      ]
      for (const m of bad) port1.postMessage(m)
      // A good request after them: once it is answered, the bad ones have surely been read.
      port1.postMessage(frameRequest(4, { videoId, frame: 1 }))
      await expect.poll(() => replies.length, { timeout: 20_000 }).toBe(1)
      expect(FrameReply.parse(replies[0])).toMatchObject({ reqId: 4, ok: true })
      expect(backend.refused).toEqual(bad)
    } finally {
      port1.close()
      port2.close()
    }
  })

  it('answers with a reply the main process accepts whatever the backend throws, and keeps codes its own', async () => {
    const request = frameRequest(7, { videoId: 'v', frame: 2 })
    const thrownString = await answerFrameRequest(request, () => Promise.reject('decoder gone'), noPreview)
    expect(FrameReply.parse(thrownString)).toEqual({
      type: 'frame',
      reqId: 7,
      ok: false,
      code: 'internal',
      message: 'decoder gone'
    })
    // A Node error's code (ENOENT…) is not one of the contract's codes: it travels as internal.
    const nodeError = Object.assign(new Error('no such file'), { code: 'ENOENT' })
    expect(await answerFrameRequest(request, () => Promise.reject(nodeError), noPreview)).toMatchObject({
      ok: false,
      code: 'internal',
      message: 'no such file'
    })
    const apiError = new ApiError('bad-request', 'frame 2 is past the end')
    expect(await answerFrameRequest(request, () => Promise.reject(apiError), noPreview)).toMatchObject({
      ok: false,
      code: 'bad-request',
      message: 'frame 2 is past the end'
    })
  })

  it('a preview request never waits for a decoder: nothing near yet, then the nearest keyframe, said by number', async () => {
    await withChannel(async (main) => {
      // Before the video's keyframes are decoded (its first frame starts that), nothing is near frame 100.
      const { videoId: fresh } = await service.openVideo({
        path: await makeTestVideo('cfr', tmp.dir, { name: 'fresh.mp4' })
      })
      expect(await main.request({ videoId: fresh, frame: 100, preview: true })).toMatchObject({ shown: -1 })
      await main.request({ videoId: fresh, frame: 0 })
      await expect
        .poll(async () => (await main.request({ videoId: fresh, frame: 100, preview: true })).shown, {
          timeout: 30_000
        })
        .toBe(90)
      const answer = await main.request({ videoId: fresh, frame: 100, preview: true })
      expect(await frameNumbersOfJpegs([Buffer.from(answer.bytes)], 320, 240)).toEqual([90])
      const closed = await main
        .request({ videoId: 'closed-video', frame: 3, preview: true })
        .catch((e: Error) => e)
      expect(closed).toMatchObject({ code: 'not-found' })
    })
  })
})
