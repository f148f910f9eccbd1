// Runs in the backend (plain Node): cuts ffmpeg's MJPEG pipe output into one Buffer per JPEG. It follows the
// JPEG segment structure (SOI, length-prefixed segments, entropy-coded data up to EOI) instead of searching for
// FFD9 bytes, which can also occur inside table segments.
export class JpegSplitter {
  private buf: Buffer = Buffer.alloc(0)
  private pos = 0
  private state: 'soi' | 'segments' | 'entropy' = 'soi'

  /** Feeds a chunk; returns the JPEGs it completed (each a copy, so the cache owns exactly its bytes). */
  push(chunk: Buffer): Buffer[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk
    const out: Buffer[] = []
    for (;;) {
      const end = this.scan()
      if (end < 0) break
      out.push(Buffer.from(this.buf.subarray(0, end)))
      this.buf = this.buf.subarray(end)
      this.pos = 0
      this.state = 'soi'
    }
    return out
  }

  /** Bytes held for a frame not complete yet. */
  get pending(): number {
    return this.buf.length
  }

  /** Advances the parser; returns the end offset of a complete JPEG, or -1 when more bytes are needed. */
  private scan(): number {
    const b = this.buf
    for (;;) {
      if (this.state === 'soi') {
        const soi = findSoi(b)
        if (soi < 0) {
          // Keep a trailing 0xFF: it may be the first half of the next SOI.
          this.buf = b.length && b[b.length - 1] === 0xff ? b.subarray(b.length - 1) : Buffer.alloc(0)
          return -1
        }
        if (soi > 0) {
          this.buf = b.subarray(soi)
          return this.scan()
        }
        this.pos = 2
        this.state = 'segments'
      }
      if (this.state === 'segments') {
        if (this.pos + 2 > b.length) return -1
        if (b[this.pos] !== 0xff) {
          // Not a marker where one must be: the stream is out of step; resynchronise on the next SOI.
          this.buf = b.subarray(1)
          this.state = 'soi'
          return this.scan()
        }
        const m = b[this.pos + 1]!
        if (m === 0xff) {
          this.pos++ // fill byte
          continue
        }
        if (m === 0xd9) return this.pos + 2
        if (m === 0x01 || (m >= 0xd0 && m <= 0xd7)) {
          this.pos += 2 // markers without a length
          continue
        }
        if (this.pos + 4 > b.length) return -1
        const len = b.readUInt16BE(this.pos + 2)
        if (this.pos + 2 + len > b.length) return -1
        this.pos += 2 + len
        if (m === 0xda) this.state = 'entropy'
        continue
      }
      // Entropy-coded data: 0xFF is followed by 0x00 (stuffing) or a restart marker; anything else ends it.
      const ff = b.indexOf(0xff, this.pos)
      if (ff < 0 || ff + 1 >= b.length) {
        this.pos = ff < 0 ? b.length : ff
        return -1
      }
      const next = b[ff + 1]!
      if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) this.pos = ff + 2
      else if (next === 0xff) this.pos = ff + 1
      else {
        this.pos = ff
        this.state = 'segments'
      }
    }
  }
}

function findSoi(b: Buffer): number {
  for (let i = b.indexOf(0xff); i >= 0 && i + 1 < b.length; i = b.indexOf(0xff, i + 1)) {
    if (b[i + 1] === 0xd8) return i
  }
  return -1
}
