// Runs in Node (Vitest): the analysis store — calibration from clicks in order (corners, then posts), the court
// drawn back, errors a person can act on, the analysis of a synthetic track computed in the store, and hand edits
// of the hits that re-run it at once.
import { createPinia, setActivePinia } from 'pinia'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { makeSynthClip, removeClip, type SynthClip } from '../../../../tests/unit/analysis/synth-fixture'
import { useAnalysisStore } from './analysis'

let clip: SynthClip

beforeAll(async () => {
  clip = await makeSynthClip(1, 30, 8)
}, 60_000)

afterAll(() => removeClip(clip))

beforeEach(() => setActivePinia(createPinia()))

/** A store with the generated clip's court clicked (corners, then posts) and its track loaded. */
function calibratedWithTrack(): ReturnType<typeof useAnalysisStore> {
  const s = useAnalysisStore()
  s.setImageSize(clip.size.width, clip.size.height)
  clip.calibration.corners.forEach((p) => s.addPoint(p))
  clip.calibration.posts!.forEach((p) => s.addPoint(p))
  s.setTrack(clip.track)
  return s
}

describe('analysis store', () => {
  it('asks for the corners in order, then the posts, and calibrates', () => {
    const s = useAnalysisStore()
    s.setImageSize(clip.size.width, clip.size.height)
    expect(s.nextPoint?.name).toBe('near-left corner')
    clip.calibration.corners.forEach((p) => s.addPoint(p))
    expect(s.calibration?.camera?.source).toBe('homography')
    expect(s.nextPoint?.name).toBe('left post top')
    s.addPoint(clip.calibration.posts![0]!)
    // One post alone is not used.
    expect(s.calibration?.camera?.source).toBe('homography')
    s.addPoint(clip.calibration.posts![1]!)
    expect(s.nextPoint).toBeNull()
    expect(s.calibration?.camera?.source).toBe('homography+posts')
    expect(s.calibration!.postError!).toBeLessThan(0.05)
    expect(s.overlay.some((l) => l.kind === 'net')).toBe(true)
    expect(s.overlay.some((l) => l.kind === 'post')).toBe(true)
    s.addPoint([1, 1])
    expect(s.posts).toHaveLength(2)
  })

  it('undoes, skips the posts, reloads a saved calibration file', () => {
    const s = useAnalysisStore()
    s.setImageSize(clip.size.width, clip.size.height)
    clip.calibration.corners.forEach((p) => s.addPoint(p))
    s.skipPosts()
    expect(s.nextPoint).toBeNull()
    const file = s.calibrationFile()!
    expect(file.posts).toBeNull()
    s.undoPoint()
    expect(s.corners).toHaveLength(3)
    expect(s.calibration).toBeNull()
    s.resetCalibration()
    s.loadCalibration(file)
    expect(s.corners).toHaveLength(4)
    expect(s.calibration).not.toBeNull()
  })

  it('says what is wrong with a degenerate click set', () => {
    const s = useAnalysisStore()
    s.setImageSize(1280, 720)
    for (const p of [
      [10, 10],
      [20, 20],
      [30, 30],
      [40, 40]
    ] as [number, number][])
      s.addPoint(p)
    expect(s.calibration).toBeNull()
    expect(s.calibrationError).toMatch(/click them again/)
  })

  it('analyses a track it is given, and marks the result stale when the inputs change', () => {
    const s = useAnalysisStore()
    expect(s.analyse()).toBeNull()
    expect(s.error).toMatch(/no track/)
    s.setImageSize(clip.size.width, clip.size.height)
    clip.calibration.corners.forEach((p) => s.addPoint(p))
    clip.calibration.posts!.forEach((p) => s.addPoint(p))
    s.setTrack(clip.track)
    const r = s.analyse()!
    expect(r.rallies.length).toBeGreaterThan(0)
    expect(r.hits.length).toBeGreaterThanOrEqual(clip.hits.length - 1)
    expect(r.hits.some((h) => h.assumption === 'height-corrected')).toBe(true)
    expect(s.stale).toBe(false)
    s.selectRally(0)
    expect(s.rally?.index).toBe(0)
    s.movePoint('corner', 0, [clip.calibration.corners[0]![0] + 1, clip.calibration.corners[0]![1]])
    expect(s.stale).toBe(true)
    s.setTrack({ fps: 30, visible: [true], x: [], y: [] })
    expect(s.error).toMatch(/one entry per frame/)
  })

  it('re-runs a current analysis when the repeated frames arrive, and says while they are being found', () => {
    const s = calibratedWithTrack()
    s.setRepeatedFrames(null)
    expect(s.repeatsState).toBe('finding')
    const before = s.analyse()!
    // Every sixth frame a repeat, as a 25 -> 30 fps conversion makes: the pictures are 1/25 s apart, so the
    // same positions give speeds that differ from frame-by-frame timing.
    const repeats = Array.from({ length: Math.floor(clip.track.x.length / 6) }, (_, i) => 6 * i + 5)
    s.setRepeatedFrames(repeats)
    expect(s.repeatsState).toBe('found')
    expect(s.stale).toBe(false)
    expect(s.result).not.toBe(before)
    expect(s.result!.hits.map((h) => h.speedKmh)).not.toEqual(before.hits.map((h) => h.speedKmh))
    s.setRepeatedFrames('failed')
    expect(s.repeatsState).toBe('failed')
    expect(s.repeatedFrames).toEqual([])
    expect(s.result!.hits.map((h) => h.speedKmh)).toEqual(before.hits.map((h) => h.speedKmh))
  })

  it('applies hand edits of the hits at once: delete, add at a frame, move, save and reload', () => {
    const s = calibratedWithTrack()
    const before = s.analyse()!
    const r = before.rallies.find((x) => x.hits.length >= 2)!
    const victim = r.hits[1]!
    s.removeHitAt(victim.frame)
    expect(s.stale).toBe(false)
    expect(s.result!.rallies[r.index]!.shotCount).toBe(r.shotCount - 1)
    s.addHitAt(victim.frame + 1)
    const added = s.result!.rallies[r.index]!.hits.find((h) => h.frame === victim.frame + 1)!
    expect(added.edited).toBe(true)
    s.moveHitTo(victim.frame + 1, victim.frame + 2)
    const hits = s.result!.rallies[r.index]!.hits
    expect(hits.some((h) => h.frame === victim.frame + 1)).toBe(false)
    expect(hits.some((h) => h.frame === victim.frame + 2 && h.edited)).toBe(true)
    const saved = JSON.stringify(s.hitEditsFile())
    s.clearHitEdits()
    expect(s.result!.rallies[r.index]!.shotCount).toBe(r.shotCount)
    expect(s.loadHitEdits(saved)).toBe(true)
    expect(s.result!.rallies[r.index]!.hits.some((h) => h.frame === victim.frame + 2)).toBe(true)
    // A bad file is refused with its reason; the edits stay as they were.
    expect(s.loadHitEdits('{"format":"other"}')).toBe(false)
    expect(s.error).toMatch(/hit edits file was not loaded/)
    expect(s.hitEdits.added).toEqual([victim.frame + 2])
  })
})
