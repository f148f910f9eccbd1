// Runs in Node (Vitest): the choice among each frame's candidates by trajectory (shared/heatmap/trajectory.ts)
// and its use by the tracker (heatmap-merge.ts chooseAlongTrajectory): a still blob loses to a moving one,
// a lone still blob is left out, a one-frame wrong blob far from the flight is passed over, a lone flight is
// kept whole, and "still" is judged in seconds whatever the frame rate.
import { describe, expect, it } from 'vitest'
import { chooseTrajectory, staticCandidates, type Candidate, type TrajectoryOptions } from '@shared/heatmap'
import { chooseAlongTrajectory, type RawDetection } from '../../../src/backend/tracking/heatmap-merge'

const VIDEO = { width: 1280, height: 720 }

/** A shuttle in flight: a parabola across the picture, `seconds` long at `fps`, in video pixels. */
function flight(fps: number, seconds: number): { x: number; y: number }[] {
  const n = Math.round(fps * seconds)
  return Array.from({ length: n }, (_, i) => {
    const t = i / fps
    return { x: 200 + 500 * t, y: 600 - 700 * t + 400 * t * t }
  })
}

const blob = (x: number, y: number, mass: number): Candidate => ({ x, y, mass, confidence: 0.9 })

/** Candidates of each frame, strongest first, as the decoder gives them. */
function byMass(frames: Candidate[][]): Candidate[][] {
  return frames.map((f) => [...f].sort((a, b) => b.mass - a.mass))
}

describe('trajectory choice among candidates', () => {
  const o30: TrajectoryOptions = { fps: 30, video: VIDEO }

  it('chooses the moving blob over a stronger one that stays put (a shuttle lying on the floor)', () => {
    const path = flight(30, 3)
    const frames = byMass(path.map((p) => [blob(900, 650, 4), blob(p.x, p.y, 1.5)]))
    // The strongest blob alone would be the one on the floor in every frame.
    expect(frames.every((f) => f[0]!.x === 900)).toBe(true)
    const still = staticCandidates(frames, o30)
    expect(still.every((s) => s[0] === true && s[1] === false)).toBe(true)
    expect(chooseTrajectory(frames, o30)).toEqual(path.map(() => 1))
  })

  it('leaves a lone still blob out, but keeps it when the clip is too short to tell', () => {
    const still = Array.from({ length: 120 }, () => [blob(900, 650, 2)])
    expect(chooseTrajectory(still, o30)).toEqual(still.map(() => -1))
    const short = still.slice(0, 40)
    expect(chooseTrajectory(short, o30)).toEqual(short.map(() => 0))
  })

  it('judges a shuttle that lands and lies still static for all of its stillness, not only its middle', () => {
    // One second of flight, then 2.2 s lying where it landed, then a new flight elsewhere: 30 frames/s.
    const path = flight(30, 1)
    const landed = path[path.length - 1]!
    const rest = Array.from({ length: 66 }, () => [blob(landed.x, landed.y + 1, 2)])
    const next = flight(30, 1).map((p) => [blob(p.x + 300, p.y, 1)])
    const frames = [...path.map((p) => [blob(p.x, p.y, 1)]), ...rest, ...next]
    const still = staticCandidates(frames, o30)
    expect(still.slice(30, 96).every((s) => s[0] === true)).toBe(true)
    expect(still.slice(0, 28).some((s) => s[0] === true)).toBe(false)
    expect(still.slice(96).some((s) => s[0] === true)).toBe(false)
    // Left out, every frame of it; both flights kept.
    const pick = chooseTrajectory(frames, o30)
    expect(pick.slice(30, 96).every((p) => p === -1)).toBe(true)
    expect(pick.slice(0, 28).every((p) => p === 0)).toBe(true)
    expect(pick.slice(96).every((p) => p === 0)).toBe(true)
    // Still for one second only (a shuttle held before a serve): never static.
    const held = [...path.map((p) => [blob(p.x, p.y, 1)]), ...rest.slice(0, 30), ...next]
    expect(staticCandidates(held, o30).some((f) => f.some(Boolean))).toBe(false)
  })

  it('passes over a one-frame blob far from the flight even when it is the stronger', () => {
    const path = flight(30, 2)
    const frames = byMass(
      path.map((p, i) => (i === 30 ? [blob(p.x, p.y, 1), blob(1100, 100, 2)] : [blob(p.x, p.y, 1)]))
    )
    expect(frames[30]![0]!.x).toBe(1100)
    const pick = chooseTrajectory(frames, o30)
    expect(pick[30]).toBe(1)
    expect(pick.filter((p) => p === -1)).toHaveLength(0)
  })

  it('keeps every frame of a lone flight, jumps included', () => {
    const path = flight(30, 2)
    // A jump faster than any shuttle (the position wraps): with nothing else to choose, it is kept.
    const frames = path.map((p, i) => [blob(i < 30 ? p.x : p.x - 600, p.y, 1)])
    expect(chooseTrajectory(frames, o30)).toEqual(path.map(() => 0))
  })

  it('judges stillness in seconds: the same scene at 120 frames/s gives the same choice', () => {
    const path = flight(120, 3)
    const frames = byMass(path.map((p) => [blob(900, 650, 4), blob(p.x, p.y, 1.5)]))
    expect(chooseTrajectory(frames, { fps: 120, video: VIDEO })).toEqual(path.map(() => 1))
    // A blob still for half a second at 120 frames/s is not "still for a second on each side".
    const brief = Array.from({ length: 60 }, () => [blob(900, 650, 2)])
    expect(staticCandidates(brief, { fps: 120, video: VIDEO }).every((s) => s[0] === false)).toBe(true)
  })

  it('judges "the same place" in heatmap pixels: a still blob on portrait video wobbles more video pixels', () => {
    // A 1536×2048 picture is 216×288 of the model's 512×288 input: one heatmap pixel is 7.1 video pixels, so a
    // shuttle lying still reads 7 px apart from frame to frame, where 1280×720's reads 2.5.
    const portrait = { width: 1536, height: 2048 }
    const input = { width: 512, height: 288 }
    const frames = Array.from({ length: 90 }, (_, i) => [blob(700 + 7 * (i % 2), 1800, 2)])
    expect(staticCandidates(frames, { fps: 30, video: portrait, input }).every((f) => f[0])).toBe(true)
    // Measured in the video's own width (5 px of a 1280 picture, 6 of 1536), the wobble reads as movement.
    expect(staticCandidates(frames, { fps: 30, video: portrait }).some((f) => f[0])).toBe(false)
    // Where the picture fills the input's width (16:9), nothing changes: still when the wobble is within 0.004
    // of the video's width, moving beyond it, with the input size given or not.
    for (const video of [VIDEO, { width: 1920, height: 1080 }, { width: 854, height: 480 }]) {
      for (const wobble of [2.5, 6]) {
        const still = Array.from({ length: 90 }, (_, i) => [blob(300 + wobble * (i % 2), 200, 2)])
        const a = staticCandidates(still, { fps: 30, video, input })
        expect(a).toEqual(staticCandidates(still, { fps: 30, video }))
        expect(a.every((f) => f[0])).toBe(wobble <= 0.004 * video.width)
      }
    }
  })

  it('handles frames without candidates and empty clips', () => {
    expect(chooseTrajectory([], o30)).toEqual([])
    expect(chooseTrajectory([[], [blob(10, 10, 1)], []], o30)).toEqual([-1, 0, -1])
    expect(() => chooseTrajectory([[]], { fps: 0, video: VIDEO })).toThrow(/frame rate/)
  })
})

describe('the tracker re-chooses its detections along the trajectory', () => {
  it('moves a frame to the chosen candidate, keeps every candidate, and hides a frame with only a still blob', () => {
    const path = flight(30, 3)
    const raw: RawDetection[] = path.map((p, frame) => {
      const candidates = [blob(900, 650, 4), blob(p.x, p.y, 1.5)]
      return { frame, visible: true, x: 900, y: 650, confidence: 0.9, candidates }
    })
    // The last second: the shuttle has gone; only the one on the floor is left.
    for (let f = 60; f < 90; f++) raw[f] = { ...raw[f]!, candidates: [blob(900, 650, 4)] }
    const out = chooseAlongTrajectory(raw, { fps: 30, video: VIDEO })
    expect(out).toHaveLength(raw.length)
    for (let f = 0; f < 60; f++) {
      expect(out[f]).toMatchObject({ frame: f, visible: true, x: path[f]!.x, y: path[f]!.y })
      expect(out[f]!.candidates).toEqual(raw[f]!.candidates)
    }
    for (let f = 60; f < 90; f++)
      expect(out[f]).toMatchObject({ visible: false, x: 0, y: 0, confidence: 0.9 })
  })
})
