// Runs in vitest (plain Node): each rule that makes the analysis trustworthy, on a generated rally whose truth is
// known (synth.json) and then changed the way real footage differs: a short occlusion does not split a rally; a
// shuttle picked up after it landed adds no hit; every listed speed has one definition; only points known to be
// on the floor get a floor position; hand edits of the hits are applied and survive a file round trip.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { analyseTrack } from '@shared/analysis/analyse'
import {
  addHit,
  hitEditsFileOf,
  moveHit,
  NO_HIT_EDITS,
  parseHitEditsFile,
  removeHit
} from '@shared/analysis/hit-edits'
import { topSpeed } from '@shared/analysis/speed-method'
import type { Track } from '@shared/analysis/track'
import type { MatchAnalysis } from '@shared/analysis/types'
import { makeSynthClip, matchHits, removeClip, type SynthClip } from './synth-fixture'

let clip: SynthClip
let base: MatchAnalysis

beforeAll(async () => {
  clip = await makeSynthClip(1, 30, 20)
  base = analyseTrack({ track: clip.track, imageSize: clip.size, calibration: clip.calibration })
}, 120_000)

afterAll(() => removeClip(clip))

const copy = (t: Track): Track => ({ fps: t.fps, visible: t.visible.slice(), x: t.x.slice(), y: t.y.slice() })
const serves = (): number => clip.hits.filter((h) => h.shot.endsWith('serve')).length

/** A frame in mid-flight between two truth hits of one rally, well inside the picture, seen around it. */
function midFlightFrame(span: number): number {
  const margin = 0.2 * clip.size.height
  for (let i = 1; i < clip.hits.length; i++) {
    const a = clip.hits[i - 1]!.frame
    const b = clip.hits[i]!.frame
    if (b - a < span + 10 || clip.hits[i]!.shot.endsWith('serve')) continue
    const f = Math.round((a + b) / 2 - span / 2)
    const t = clip.track
    let ok = true
    for (let k = f - 3; k <= f + span + 3; k++)
      ok &&=
        t.visible[k]! &&
        t.x[k]! > margin &&
        t.x[k]! < clip.size.width - margin &&
        t.y[k]! > margin &&
        t.y[k]! < clip.size.height - margin
    if (ok) return f
  }
  throw new Error(`no stretch of ${span} frames in mid-flight inside the picture in ${clip.name}`)
}

describe('rallies', () => {
  it('does not split a rally at a 0.3 s occlusion in mid-picture, nor at 0.9 s', () => {
    expect(base.rallies.length).toBe(serves())
    for (const seconds of [0.3, 0.9]) {
      const span = Math.round(seconds * clip.fps)
      const f = midFlightFrame(span)
      const t = copy(clip.track)
      for (let k = f; k < f + span; k++) t.visible[k] = false
      const a = analyseTrack({ track: t, imageSize: clip.size, calibration: clip.calibration })
      expect(a.rallies.length, `${seconds} s hidden from frame ${f}`).toBe(serves())
      expect(a.rallies.some((r) => r.startFrame <= f && r.endFrame >= f + span)).toBe(true)
    }
  })

  it('ends the rally at the landing: a shuttle picked up and tossed after it came to rest adds no hit', () => {
    // After a landing the shuttle rests 0.2 s, then is lifted and tossed back (two sharp turns), then rests.
    const t = copy(clip.track)
    let changed = 0
    for (const l of clip.landings) {
      const rest = l.frame + 1
      const frames = Array.from({ length: 30 }, (_, i) => rest + i)
      if (!frames.every((k) => t.visible[k] && Math.hypot(t.x[k]! - t.x[rest]!, t.y[k]! - t.y[rest]!) < 2))
        continue
      const [x0, y0] = [t.x[rest]!, t.y[rest]!]
      for (let i = 6; i < 30; i++) {
        const k = rest + i
        const u = i - 6
        // Up and right for 10 frames, back down and left for 10, then still.
        const s = u < 10 ? u : u < 20 ? 20 - u : 0
        t.x[k] = x0 + 6 * s
        t.y[k] = y0 - 8 * s
      }
      changed++
    }
    expect(changed, 'landings followed by a long rest to change').toBeGreaterThan(0)
    const a = analyseTrack({ track: t, imageSize: clip.size, calibration: clip.calibration })
    for (const r of a.rallies) {
      for (const h of r.hits) expect(h.frame, `rally ${r.index}`).toBeLessThanOrEqual(r.landing.frame)
    }
    for (const l of clip.landings) {
      const r = a.rallies.find((x) => x.startFrame <= l.frame && x.endFrame >= l.frame - 3)
      if (!r) continue
      expect(Math.abs(r.landing.frame - l.frame), `landing at ${l.frame}`).toBeLessThanOrEqual(3)
      expect(r.landing.atRest).toBe(true)
    }
  })

  // As on broadcasts: after touching down the shuttle skids on for 12 frames at a quarter of its flight speed
  // (still faster than the analysis' "still"), or bounces back up the picture for 3 frames and falls back, then
  // rests there.
  const afterTouchDown = {
    skid: (i: number, v: [number, number]): [number, number] => {
      const d = 0.25 * Math.min(i, 12)
      return [v[0] * d, v[1] * d]
    },
    bounce: (i: number, v: [number, number]): [number, number] => {
      const up = Math.min(i, 6 - Math.min(i, 6), 3) * 0.4 * Math.hypot(v[0], v[1])
      return [0.1 * v[0] * Math.min(i, 6), -up]
    }
  }
  for (const [kind, move] of Object.entries(afterTouchDown)) {
    it(`lands where the shuttle touched down, not where it came to rest after a ${kind}`, () => {
      const t = copy(clip.track)
      const still = (0.06 * clip.size.height) / clip.fps
      const changed: { frame: number; image: [number, number] }[] = []
      for (const l of clip.landings) {
        const rest = l.frame + 1
        const frames = Array.from({ length: 24 }, (_, i) => rest + i)
        if (!frames.every((k) => t.visible[k] && Math.hypot(t.x[k]! - t.x[rest]!, t.y[k]! - t.y[rest]!) < 2))
          continue
        if (![l.frame - 2, l.frame - 1, l.frame].every((k) => t.visible[k])) continue
        const v: [number, number] = [
          (t.x[l.frame]! - t.x[l.frame - 2]!) / 2,
          (t.y[l.frame]! - t.y[l.frame - 2]!) / 2
        ]
        if (0.25 * Math.hypot(v[0], v[1]) < 1.1 * still || v[1] <= 0) continue
        const [x0, y0] = [t.x[l.frame]!, t.y[l.frame]!]
        for (let i = 1; i < 24; i++) {
          const [dx, dy] = move(i, v)
          t.x[l.frame + i] = x0 + dx
          t.y[l.frame + i] = y0 + dy
        }
        changed.push({ frame: l.frame, image: [x0, y0] })
      }
      expect(changed.length, 'landings coming down fast onto a long rest').toBeGreaterThan(0)
      const a = analyseTrack({ track: t, imageSize: clip.size, calibration: clip.calibration })
      for (const s of changed) {
        const r = a.rallies.find((x) => x.startFrame <= s.frame && x.endFrame >= s.frame - 3)!
        expect(r, `the rally landing at ${s.frame}`).toBeDefined()
        expect(Math.abs(r.landing.frame - s.frame), `landing at ${s.frame}`).toBeLessThanOrEqual(1)
        expect(
          Math.hypot(r.landing.x - s.image[0], r.landing.y - s.image[1]),
          'where it touched down'
        ).toBeLessThan(4)
        for (const h of r.hits) expect(h.frame).toBeLessThanOrEqual(r.landing.frame)
      }
    })
  }

  it('has no hit after its landing on the generated rallies', () => {
    for (const r of base.rallies) for (const h of r.hits) expect(h.frame).toBeLessThanOrEqual(r.landing.frame)
  })
})

describe('speeds', () => {
  it('uses one definition per analysis: the 3-D launch speed with a camera, the court plane without', () => {
    expect(base.speed?.method).toBe('height-corrected')
    expect(base.speed?.unit).toBe('km/h')
    expect(base.speed?.label).toMatch(/3-D flight fit/)
    expect(base.hits.some((h) => h.speeds.courtPlane !== null && h.speeds.heightCorrected === null)).toBe(
      true
    )
    for (const h of base.hits) {
      expect(h.assumption === null || h.assumption === 'height-corrected').toBe(true)
      expect(h.speedKmh).toBe(h.speeds.heightCorrected)
    }
    const plane = analyseTrack({
      track: clip.track,
      imageSize: clip.size,
      calibration: { ...clip.calibration, camera: null }
    })
    expect(plane.speed?.method).toBe('court-plane')
    expect(
      plane.hits.every((h) => h.assumption === 'court-plane' && h.speedKmh === h.speeds.courtPlane)
    ).toBe(true)
    const none = analyseTrack({ track: clip.track, imageSize: clip.size })
    expect(none.speed).toBeNull()
  })

  it("takes a rally's top speed from the same list as the chart", () => {
    for (const r of base.rallies) {
      const listed = r.hits.map((h) => h.speedKmh).filter((s): s is number => s !== null)
      expect(topSpeed(r.hits)?.kmh ?? null).toBe(listed.length ? Math.max(...listed) : null)
    }
    expect(topSpeed([])).toBeNull()
  })
})

describe('floor positions', () => {
  it('gives floor positions only to what is on the floor', () => {
    for (const h of base.hits) {
      // The point under the contact comes from the 3-D fit; without one there is no floor position.
      expect(h.courtX === null).toBe(h.height === null)
    }
    for (const l of base.landings) expect(l.courtX === null).toBe(!l.atRest)
    const landed = base.landings.filter((l) => l.atRest).length
    expect(landed).toBeGreaterThan(0)
    expect(base.heatmap!.counts.reduce((s, n) => s + n, 0)).toBe(landed)
  })

  it('drops the floor position of a shuttle last seen in the air', () => {
    const t = copy(clip.track)
    const l = clip.landings[0]!
    // Lose the shuttle 6 frames before it lands and for the rest of the clip's first rally.
    for (let k = l.frame - 6; k < l.frame + 60 && k < t.visible.length; k++) t.visible[k] = false
    const a = analyseTrack({ track: t, imageSize: clip.size, calibration: clip.calibration })
    const r = a.rallies.find((x) => x.startFrame <= l.frame - 10 && x.endFrame >= l.frame - 10)!
    expect(r.landing.atRest).toBe(false)
    expect(r.landing.courtX).toBeNull()
    expect(r.landing.inCourt).toBeNull()
  })
})

describe('hit edits', () => {
  it('removes, adds and moves hits, and the speeds and counts follow', () => {
    const r = base.rallies.find((x) => x.hits.length >= 3)!
    const victim = r.hits[1]!
    const removed = analyseTrack({
      track: clip.track,
      imageSize: clip.size,
      calibration: clip.calibration,
      hitEdits: removeHit(NO_HIT_EDITS, victim.frame)
    })
    const r2 = removed.rallies[r.index]!
    expect(r2.shotCount).toBe(r.shotCount - 1)
    expect(r2.hits.some((h) => h.frame === victim.frame)).toBe(false)
    expect(removed.hitEdits.removed).toEqual([victim.frame])

    const moved = moveHit(NO_HIT_EDITS, victim.frame, victim.frame + 2)
    const m = analyseTrack({
      track: clip.track,
      imageSize: clip.size,
      calibration: clip.calibration,
      hitEdits: moved
    }).rallies[r.index]!
    expect(m.shotCount).toBe(r.shotCount)
    const h = m.hits.find((x) => x.frame === victim.frame + 2)!
    expect(h.edited).toBe(true)
    expect(h.x).toBeCloseTo(clip.track.x[victim.frame + 2]!, 0)

    // Adding back a removed detection undoes the removal: the analysis is the original one.
    const back = addHit(removeHit(NO_HIT_EDITS, victim.frame), victim.frame)
    expect(back).toEqual({ added: [], removed: [] })
  })

  it('reads back what it writes and says what is wrong with a bad file', () => {
    const e = addHit(removeHit(NO_HIT_EDITS, 40), 12)
    expect(parseHitEditsFile(JSON.stringify(hitEditsFileOf(e)))).toEqual({ added: [12], removed: [40] })
    expect(() => parseHitEditsFile('{')).toThrow(/not JSON/)
    expect(() =>
      parseHitEditsFile(
        JSON.stringify({ format: 'shuttle-studio-hit-edits', version: 1, added: [-1], removed: [] })
      )
    ).toThrow(/added\.0/)
  })
})

describe('generated rallies against their truth', () => {
  it('measures a hit added by hand at the true contact like a detected one (speed within 10 %)', () => {
    const m = matchHits(clip.hits, base.hits)
    let checked = 0
    for (const [i, j] of m.pairs) {
      const truth = clip.hits[i]!
      const found = base.hits[j]!
      if (found.speeds.heightCorrected === null || found.frame === truth.frame) continue
      // The detection is taken out and the hit put back by hand on the true frame.
      const e = addHit(removeHit(NO_HIT_EDITS, found.frame), truth.frame)
      const a = analyseTrack({
        track: clip.track,
        imageSize: clip.size,
        calibration: clip.calibration,
        hitEdits: e
      })
      const h = a.hits.find((x) => x.frame === truth.frame)!
      expect(h.edited).toBe(true)
      expect(a.hits.some((x) => x.frame === found.frame)).toBe(false)
      expect(Math.abs(h.speedKmh! - truth.speedKmh) / truth.speedKmh, `hit at ${truth.frame}`).toBeLessThan(
        0.1
      )
      if (++checked === 2) break
    }
    expect(checked).toBeGreaterThan(0)
  })
})
