// Runs in Node (Vitest): the MJPEG pipe splitter finds frame boundaries by JPEG structure, whatever the chunking,
// including FFD9 bytes inside a table segment and restart markers inside the entropy-coded data.
import { describe, expect, it } from 'vitest'
import { JpegSplitter } from '../../../src/backend/video/jpeg-splitter'

function fakeJpeg(tag: number): Buffer {
  const seg = (marker: number, payload: number[]): number[] => [
    0xff,
    marker,
    0,
    payload.length + 2,
    ...payload
  ]
  return Buffer.from([
    0xff,
    0xd8,
    // A table whose payload holds FF D9 FF D8: a naive EOI search would cut the frame here.
    ...seg(0xdb, [tag, 0xff, 0xd9, 0xff, 0xd8, 1, 2, 3]),
    ...seg(0xc0, [8, 0, 16, 0, 16, 1, 1, 0x11, 0]),
    ...seg(0xda, [1, 1, 0, 0, 63, 0]),
    // Entropy data with a stuffed 0xFF and a restart marker.
    ...[0x12, 0xff, 0x00, 0x34, 0xff, 0xd3, 0x56, tag],
    0xff,
    0xd9
  ])
}

describe('JpegSplitter', () => {
  it('splits concatenated JPEGs however the pipe chunks them', () => {
    const frames = [1, 2, 3, 4, 5].map(fakeJpeg)
    const all = Buffer.concat(frames)
    for (const chunk of [1, 2, 3, 7, 16, all.length]) {
      const s = new JpegSplitter()
      const out: Buffer[] = []
      for (let i = 0; i < all.length; i += chunk) out.push(...s.push(all.subarray(i, i + chunk)))
      expect(out).toEqual(frames)
      expect(s.pending).toBe(0)
    }
  })

  it('skips garbage before a frame', () => {
    const s = new JpegSplitter()
    const out = s.push(Buffer.concat([Buffer.from([0, 1, 0xff, 2]), fakeJpeg(9)]))
    expect(out).toEqual([fakeJpeg(9)])
  })
})
