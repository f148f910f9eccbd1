// Runs in the backend (plain Node): reads an ONNX model's metadata_props (the shuttle.* keys of the model
// contract) straight from the file, because onnxruntime-node does not expose custom metadata. It walks only
// the top level of the ModelProto protobuf and reads field 14 (repeated StringStringEntryProto {1: key,
// 2: value}); the big fields (the graph and its weights) are skipped by seeking, never read into memory.
import { open, type FileHandle } from 'node:fs/promises'

export class NotOnnxError extends Error {
  override name = 'NotOnnxError'
}

const METADATA_PROPS = 14
const WINDOW = 64 * 1024
/** ModelProto fields that may appear at the top level; anything else means the file is not a model. */
const MODEL_FIELDS = new Set([1, 2, 3, 4, 5, 6, 7, 8, 10, 14, 20, 25])

/** A forward-only reader over a file that keeps one small window in memory. */
class FileCursor {
  pos = 0
  private buf = Buffer.alloc(0)
  private bufStart = 0

  constructor(
    private readonly fh: FileHandle,
    readonly size: number
  ) {}

  private async ensure(n: number): Promise<void> {
    const have = this.bufStart + this.buf.length - this.pos
    if (this.pos >= this.bufStart && have >= n) return
    const len = Math.max(n, WINDOW)
    const b = Buffer.alloc(len)
    const { bytesRead } = await this.fh.read(b, 0, len, this.pos)
    this.buf = b.subarray(0, bytesRead)
    this.bufStart = this.pos
    if (bytesRead < n) throw new NotOnnxError('the file ends inside a protobuf field')
  }

  async byte(): Promise<number> {
    await this.ensure(1)
    return this.buf[this.pos++ - this.bufStart] as number
  }

  async bytes(n: number): Promise<Buffer> {
    await this.ensure(n)
    const s = this.pos - this.bufStart
    this.pos += n
    return Buffer.from(this.buf.subarray(s, s + n))
  }

  async varint(): Promise<number> {
    let result = 0
    let mul = 1
    for (let i = 0; i < 10; i++) {
      const b = await this.byte()
      result += (b & 0x7f) * mul
      if (!(b & 0x80)) return result
      mul *= 128
    }
    throw new NotOnnxError('a protobuf varint is longer than 10 bytes')
  }
}

/** Fields of a small in-memory message (a StringStringEntryProto): field number → bytes. */
function readEntry(buf: Buffer): { key: string; value: string } {
  let pos = 0
  let key = ''
  let value = ''
  const varint = (): number => {
    let r = 0
    let mul = 1
    for (let i = 0; i < 10 && pos < buf.length; i++) {
      const b = buf[pos++] as number
      r += (b & 0x7f) * mul
      if (!(b & 0x80)) return r
      mul *= 128
    }
    throw new NotOnnxError('a metadata entry is malformed')
  }
  while (pos < buf.length) {
    const tag = varint()
    const wire = tag & 7
    if (wire !== 2) throw new NotOnnxError('a metadata entry is malformed')
    const len = varint()
    const s = buf.toString('utf8', pos, pos + len)
    if (tag >>> 3 === 1) key = s
    else if (tag >>> 3 === 2) value = s
    pos += len
  }
  return { key, value }
}

/** The model's metadata_props as a plain object. Throws NotOnnxError when the file is not an ONNX model. */
export async function readOnnxMetadata(file: string): Promise<Record<string, string>> {
  const fh = await open(file, 'r')
  try {
    const size = (await fh.stat()).size
    if (size === 0) throw new NotOnnxError('the file is empty')
    const c = new FileCursor(fh, size)
    const meta: Record<string, string> = {}
    let sawGraph = false
    while (c.pos < size) {
      const tag = await c.varint()
      const field = Math.floor(tag / 8)
      const wire = tag & 7
      if (!MODEL_FIELDS.has(field)) throw new NotOnnxError(`unexpected top-level field ${field}`)
      if (wire === 0) await c.varint()
      else if (wire === 1) c.pos += 8
      else if (wire === 5) c.pos += 4
      else if (wire === 2) {
        const len = await c.varint()
        if (c.pos + len > size) throw new NotOnnxError('a field runs past the end of the file')
        if (field === METADATA_PROPS) {
          const { key, value } = readEntry(await c.bytes(len))
          meta[key] = value
        } else {
          if (field === 7) sawGraph = true
          c.pos += len
        }
      } else throw new NotOnnxError(`unsupported protobuf wire type ${wire}`)
    }
    if (c.pos !== size) throw new NotOnnxError('the last field runs past the end of the file')
    if (!sawGraph) throw new NotOnnxError('it has no graph')
    return meta
  } finally {
    await fh.close()
  }
}
