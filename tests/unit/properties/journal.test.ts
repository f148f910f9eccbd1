// Runs in Node (Vitest): properties of the edit journal's reader (src/backend/project/journal.ts) on real files:
// whatever a crash or a bad disk does to a journal — a cut, a flipped bit, stray bytes — reading it never
// throws, gives back only edits that were written, in order, and every edit whose line lies before the damage.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { journalLine, readJournal, type JournalEntry } from '../../../src/backend/project/journal'
import { markNotVisible, placePoint, type LabelEdit } from '@shared/project'

let dir = ''
let files = 0
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'journal-properties-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const edit: fc.Arbitrary<LabelEdit> = fc.oneof(
  fc
    .tuple(
      fc.nat(5000),
      fc.double({ min: 0, max: 1920, noNaN: true }),
      fc.double({ min: 0, max: 1080, noNaN: true })
    )
    .map(([f, x, y]) => placePoint(f, x, y)),
  fc.tuple(fc.nat(5000), fc.nat(50)).map(([f, n]) => markNotVisible(f, f + n))
)

/** Acknowledged entries as the studio appends them: rising seq (with gaps after compaction), one or more edits. */
const journal: fc.Arbitrary<JournalEntry[]> = fc
  .array(fc.tuple(fc.integer({ min: 1, max: 3 }), fc.array(edit, { minLength: 1, maxLength: 3 })), {
    minLength: 1,
    maxLength: 12
  })
  .map((steps) => {
    let seq = 0
    return steps.map(([gap, edits], i) => {
      seq += gap
      return { seq, at: new Date(Date.UTC(2026, 0, 1, 12, 0, i)).toISOString(), edits }
    })
  })

type Damage =
  | { kind: 'cut'; at: number }
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'overwrite'; at: number; bytes: Uint8Array }

const damage: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 24 })
  }),
  fc.record({
    kind: fc.constant('overwrite' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 24 })
  })
)

/** The damaged bytes, and the first offset that differs from the journal as written. */
function apply(bytes: Buffer, d: Damage): { out: Buffer; from: number } {
  const at = d.at % (bytes.length + 1)
  switch (d.kind) {
    case 'cut':
      return { out: bytes.subarray(0, at), from: at }
    case 'flip': {
      const i = Math.min(at, bytes.length - 1)
      const out = Buffer.from(bytes)
      out[i] = out[i]! ^ (1 << d.bit)
      return { out, from: i }
    }
    case 'insert':
      return { out: Buffer.concat([bytes.subarray(0, at), d.bytes, bytes.subarray(at)]), from: at }
    case 'overwrite': {
      const out = Buffer.from(bytes)
      out.set(d.bytes.subarray(0, Math.max(0, bytes.length - at)), at)
      return { out, from: at }
    }
  }
}

/** Whether `got` is `all` with some entries left out, nothing added and nothing reordered. */
function isSubsequence(got: readonly JournalEntry[], all: readonly JournalEntry[]): boolean {
  let i = 0
  for (const e of got) {
    while (i < all.length && JSON.stringify(all[i]) !== JSON.stringify(e)) i++
    if (i === all.length) return false
    i++
  }
  return true
}

describe('journal reader', () => {
  it('reads back every acknowledged edit of an undamaged journal', async () => {
    await fc.assert(
      fc.asyncProperty(journal, async (entries) => {
        const file = path.join(dir, `clean-${files++}.jsonl`)
        await writeFile(file, entries.map(journalLine).join(''))
        expect(await readJournal(file)).toEqual({ entries, warnings: [] })
      }),
      { seed: 501, numRuns: 60 }
    )
  })

  it('after a cut, a flipped bit or stray bytes: written edits only, in order, all those before the damage', async () => {
    await fc.assert(
      fc.asyncProperty(journal, damage, async (entries, d) => {
        const file = path.join(dir, `damaged-${files++}.jsonl`)
        const lines = entries.map(journalLine)
        const { out, from } = apply(Buffer.from(lines.join('')), d)
        await writeFile(file, out)
        const read = await readJournal(file)
        expect(isSubsequence(read.entries, entries), JSON.stringify(read.entries)).toBe(true)
        let end = 0
        const intact = entries.filter((_, i) => (end += Buffer.byteLength(lines[i]!)) <= from)
        expect(read.entries.slice(0, intact.length)).toEqual(intact)
        for (const w of read.warnings) expect(w).toMatch(/\.jsonl/)
        // The repair is on disk: a second read finds the same edits and nothing more to say.
        expect(await readJournal(file)).toEqual({ entries: read.entries, warnings: [] })
      }),
      { seed: 502, numRuns: 80 }
    )
  })

  it('any bytes at all: never a throw, never an entry that was not written', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), async (bytes) => {
        const file = path.join(dir, `noise-${files++}.jsonl`)
        await writeFile(file, bytes)
        const read = await readJournal(file)
        expect(read.entries).toEqual([])
        expect((await readFile(file)).length).toBeLessThanOrEqual(bytes.length)
      }),
      { seed: 503, numRuns: 100 }
    )
  })
})
