// Runs in Node (Vitest): video.repeatedFrames through a real backend (loopback transport, real ffmpeg) on videos
// made here: a moving pattern converted from 25 to 30 fps (every sixth frame repeats) and one made at 30 fps.
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lavfiVideo } from '../support/lavfi-video'
import { locateFfmpeg } from '../../../src/backend/ffmpeg/locate'
import { createBackend, type Backend } from '../../../src/backend/services'
import { StudioClient } from '../../../src/renderer/src/api/client'
import { LoopbackTransport } from '../support/loopback'

let backend: Backend
let client: StudioClient
let dir = ''

async function make(name: string, source: string, filter?: string): Promise<string> {
  return lavfiVideo((await locateFfmpeg()).ffmpegPath, path.join(dir, name), source, filter)
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'repeats-service-'))
  backend = await createBackend({ host: 'cli', version: 'test', cacheDir: path.join(dir, 'cache') })
  client = new StudioClient(new LoopbackTransport(backend))
})

afterAll(() => {
  backend?.dispose()
  rmSync(dir, { recursive: true, force: true })
})

describe('video.repeatedFrames', () => {
  it('gives the frames of a 25 → 30 fps conversion that repeat the one before, and none of a native video', async () => {
    const converted = await client.call('video.open', {
      path: await make('converted.mp4', 'testsrc2=s=320x180:r=25:d=2', 'fps=30')
    })
    const { repeated } = await client.call('video.repeatedFrames', { videoId: converted.videoId })
    expect(repeated).toHaveLength(10)
    expect(repeated.every((f, i) => i === 0 || f - repeated[i - 1]! === 6)).toBe(true)
    const native = await client.call('video.open', {
      path: await make('native.mp4', 'testsrc2=s=320x180:r=30:d=2')
    })
    expect(await client.call('video.repeatedFrames', { videoId: native.videoId })).toEqual({ repeated: [] })
  })

  it('refuses a video that is not open, in words', async () => {
    await expect(client.call('video.repeatedFrames', { videoId: 'v-not-open' })).rejects.toThrow(/not open/)
  })
})
