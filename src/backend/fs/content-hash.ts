// Runs in the backend (plain Node): identities for the result cache. A video is identified by a SAMPLED hash —
// its size plus SHA-256 of its first, middle and last 4 MiB — so a two-hour match is hashed in milliseconds; an
// edit that changes the size or any sampled block changes the identity (a same-size edit confined to the
// unsampled middle of the file would not: an accepted risk for a cache). A model is small (a few MiB) and is
// hashed whole. Both are remembered per (path, size, mtime) for the life of the process.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { open, stat } from 'node:fs/promises'

const BLOCK = 4 * 1024 * 1024
const memo = new Map<string, string>()

async function memoised(kind: string, file: string, compute: () => Promise<string>): Promise<string> {
  const st = await stat(file)
  const key = `${kind}|${file}|${st.size}|${st.mtimeMs}`
  const hit = memo.get(key)
  if (hit) return hit
  const h = await compute()
  memo.set(key, h)
  return h
}

export function videoContentHash(file: string): Promise<string> {
  return memoised('video', file, async () => {
    const fh = await open(file, 'r')
    try {
      const size = (await fh.stat()).size
      const h = createHash('sha256').update(`shuttle-video-v1|${size}|`)
      const offsets = size <= 3 * BLOCK ? [0] : [0, Math.floor(size / 2 - BLOCK / 2), size - BLOCK]
      const len = size <= 3 * BLOCK ? size : BLOCK
      const buf = Buffer.alloc(len)
      for (const at of offsets) {
        const { bytesRead } = await fh.read(buf, 0, len, at)
        h.update(buf.subarray(0, bytesRead))
      }
      return h.digest('hex').slice(0, 32)
    } finally {
      await fh.close()
    }
  })
}

export function modelFileHash(file: string): Promise<string> {
  return memoised('model', file, async () => {
    const h = createHash('sha256')
    for await (const chunk of createReadStream(file)) h.update(chunk as Buffer)
    return h.digest('hex').slice(0, 32)
  })
}
