// Runs in Node (Vitest): the decoded-frame cache is bounded by bytes and evicts the least recently used first.
import { describe, expect, it } from 'vitest'
import { FrameCache } from '../../../src/backend/video/frame-cache'

describe('FrameCache', () => {
  it('evicts least recently used frames to stay within its byte budget', () => {
    const c = new FrameCache(100)
    c.set('a', 0, Buffer.alloc(40))
    c.set('a', 1, Buffer.alloc(40))
    expect(c.get('a', 0)).toBeDefined() // 0 is now the most recently used
    c.set('a', 2, Buffer.alloc(40))
    expect(c.has('a', 1)).toBe(false)
    expect(c.has('a', 0)).toBe(true)
    expect(c.has('a', 2)).toBe(true)
    expect(c.bytes).toBe(80)
  })

  it('replaces a frame without counting it twice, ignores oversized frames, drops one video', () => {
    const c = new FrameCache(100)
    c.set('a', 0, Buffer.alloc(30))
    c.set('a', 0, Buffer.alloc(20))
    expect(c.bytes).toBe(20)
    c.set('a', 1, Buffer.alloc(101))
    expect(c.has('a', 1)).toBe(false)
    c.set('b', 0, Buffer.alloc(10))
    c.dropVideo('a')
    expect(c.bytes).toBe(10)
    expect(c.size).toBe(1)
  })
})
