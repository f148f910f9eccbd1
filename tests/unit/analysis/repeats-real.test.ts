// Runs in vitest (plain Node): `shuttle-studio analyse` on a real broadcast rally converted from 25 to 30 fps
// (val clip b00009 of ../shared/data/real, beside the repository), with the repeated frames found in the video
// and without. Read frame by frame, each repeat makes the labelled shuttle stop for a frame: false hits at frames
// 68, 451, 457 and 464. Skipped, saying so, where the footage is not there.
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runAnalyse, type AnalyseIo } from '../../../src/cli/commands/analyse'
import type { MatchAnalysis } from '@shared/analysis/types'

const CLIP = path.resolve(__dirname, '../../../../shared/data/real/val/yamaguchi-v-an-s-y')
const video = path.join(CLIP, 'video/b00009.mp4')
const track = path.join(CLIP, 'csv/b00009_ball.csv')
const present = existsSync(video) && existsSync(track)
if (!present) console.warn(`[analysis] real footage test skipped: ${video} or its labels are not there`)

let dir = ''
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'repeats-real-'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

async function analyse(
  out: string,
  io: Partial<AnalyseIo>
): Promise<{ a: MatchAnalysis; o: { repeatedFrames: number } }> {
  const lines: string[] = []
  const code = await runAnalyse(
    { track, video, out: path.join(dir, out), json: true },
    { out: (t) => lines.push(t), err: (t) => lines.push(t), ...io }
  )
  expect(code, lines.join('\n')).toBe(0)
  const a = JSON.parse(await readFile(path.join(dir, out, 'analysis.json'), 'utf8')) as MatchAnalysis
  return { a, o: JSON.parse(lines.join('\n')) }
}

const FALSE_HITS = [68, 451, 457, 464]
const near = (a: MatchAnalysis, f: number): boolean => a.hits.some((h) => Math.abs(h.frame - f) <= 1)

describe.skipIf(!present)('val b00009, a 25 → 30 fps broadcast', () => {
  it('finds no hit where a repeated frame made the shuttle stand still', async () => {
    const blind = await analyse('blind', { repeatedFrames: async () => [] })
    const timed = await analyse('timed', {})
    console.info(
      `[analysis] b00009: frame by frame hits ${blind.a.hits.map((h) => h.frame).join(',')}, landing ${blind.a.landings.map((l) => l.frame).join(',')}; ` +
        `by picture (${timed.o.repeatedFrames} repeats) hits ${timed.a.hits.map((h) => h.frame).join(',')}, landing ${timed.a.landings.map((l) => l.frame).join(',')}`
    )
    // Every sixth frame repeats: 502 frames, 84 repeats.
    expect(timed.o.repeatedFrames).toBe(84)
    for (const f of FALSE_HITS) {
      expect(near(blind.a, f), `frame by frame, a hit at ${f}`).toBe(true)
      expect(near(timed.a, f), `by picture, no hit at ${f}`).toBe(false)
    }
    expect(timed.a.rallies).toHaveLength(blind.a.rallies.length)
  })
})
