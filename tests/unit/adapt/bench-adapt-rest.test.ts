// Runs in Node (Vitest): the benchmark's "lying shuttle" analysis — where the labels had a shuttle at rest, and
// which frames labelled not visible it leaves out of its second F1 — on labels built here.
import { describe, expect, it } from 'vitest'
import { restSpots, withoutLyingShuttle } from '../../../scripts/support/bench-adapt-rest'
import type { LabelPoint } from '../../../src/shared/labels/types'

const at = (frame: number, x: number, y: number): LabelPoint => ({ frame, visible: true, x, y })
const hidden = (frame: number): LabelPoint => ({ frame, visible: false, x: 0, y: 0 })

// Frames 0–19 a flight (the shuttle moves 20 px a frame); 20–34 it lies at (500, 900), jittering by a pixel;
// 35–59 the labels call it not visible.
const labels: LabelPoint[] = [
  ...Array.from({ length: 20 }, (_, f) => at(f, 20 * f, 100)),
  ...Array.from({ length: 15 }, (_, i) => at(20 + i, 500 + (i % 2), 900)),
  ...Array.from({ length: 25 }, (_, i) => hidden(35 + i))
]

describe('lying shuttle analysis', () => {
  it('finds where a shuttle lay, and not a flight', () => {
    const spots = restSpots(labels)
    expect(spots).toHaveLength(15)
    for (const s of spots) expect(Math.hypot(s.x - 500, s.y - 900)).toBeLessThan(2)
    // Nine frames at rest are too few to call it lying.
    expect(restSpots(labels.slice(0, 29))).toEqual([])
  })

  it('leaves out only frames labelled not visible where the track sees a shuttle where one lay', () => {
    const track: LabelPoint[] = [
      ...labels.slice(0, 35),
      ...Array.from({ length: 10 }, (_, i) => at(35 + i, 503, 902)), // the shuttle still lying there
      ...Array.from({ length: 5 }, (_, i) => at(45 + i, 1500, 300)), // a wrong detection elsewhere
      ...Array.from({ length: 10 }, (_, i) => hidden(50 + i))
    ]
    const r = withoutLyingShuttle(track, labels, restSpots(labels), 10)
    expect(r.left).toBe(10)
    expect(r.labels.map((l) => l.frame)).toEqual([
      ...Array.from({ length: 35 }, (_, f) => f),
      ...Array.from({ length: 15 }, (_, i) => 45 + i)
    ])
  })
})
