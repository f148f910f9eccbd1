// Runs in Node (Vitest): what the analysis draws over a video frame, on a generated rally: the shuttle where the
// track has it, the rally's hits once reached (the one at this frame picked out), the landing once reached.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { analyseTrack } from '@shared/analysis/analyse'
import type { MatchAnalysis } from '@shared/analysis/types'
import { makeSynthClip, removeClip, type SynthClip } from '../../../../../tests/unit/analysis/synth-fixture'
import { marksAt, rallyAt } from './frame-marks'

let clip: SynthClip
let a: MatchAnalysis

beforeAll(async () => {
  clip = await makeSynthClip(1, 30, 8)
  a = analyseTrack({ track: clip.track, imageSize: clip.size, calibration: clip.calibration })
}, 60_000)

afterAll(() => removeClip(clip))

describe('frame marks', () => {
  it('marks the shuttle, the hits so far and the landing of the rally on screen', () => {
    const r = a.rallies.find((x) => x.hits.length >= 2 && x.landing.atRest)!
    const h = r.hits[1]!
    const at = marksAt(a, clip.track, h.frame)
    const shuttle = at.find((m) => m.kind === 'shuttle')!
    expect([shuttle.x, shuttle.y]).toEqual([clip.track.x[h.frame], clip.track.y[h.frame]])
    const hits = at.filter((m) => m.kind === 'hit')
    expect(hits.map((m) => m.frame)).toEqual([r.hits[0]!.frame, h.frame])
    expect(hits.find((m) => m.frame === h.frame)!.current).toBe(true)
    expect(hits.find((m) => m.frame === h.frame)!.x).toBe(h.x)
    expect(at.some((m) => m.kind === 'landing')).toBe(false)

    const after = marksAt(a, clip.track, r.landing.frame)
    const landing = after.find((m) => m.kind === 'landing')!
    expect([landing.x, landing.y, landing.current]).toEqual([r.landing.x, r.landing.y, true])
    expect(after.filter((m) => m.kind === 'hit')).toHaveLength(r.hits.length)
  })

  it('draws nothing of a rally outside it, and no shuttle where the track has none', () => {
    const before = a.rallies[0]!.startFrame - 1
    if (before >= 0) expect(rallyAt(a, before)).toBeNull()
    const unseen = clip.track.visible.findIndex((v) => !v)
    expect(unseen).toBeGreaterThanOrEqual(0)
    expect(marksAt(a, clip.track, unseen).some((m) => m.kind === 'shuttle')).toBe(false)
    expect(marksAt(null, null, 10)).toEqual([])
  })
})
