// Runs in Node (Vitest): the frames of one clip where the model disagrees with itself, read from a project's
// .studio/predictions as Track writes it (rectified CSV with Source and Candidates, through the tracker's own
// writers): the frame whose flight path took another blob and the frame rectification removed are found, the
// rest of the flight is not; the clip's newest track counts; other clips' tracks do not.
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { withCandidatesColumn } from '../../../src/shared/heatmap'
import { clipDisagreements } from '../../../src/backend/training/clip-disagreements'
import { disagreementFrames, parsePredictionCsv } from '../../../src/backend/training/suggest-frames'
import type { RawDetection } from '../../../src/backend/tracking/heatmap-merge'
import { rectifyTrack } from '../../../src/backend/tracking/rectify'
import { rectifiedCsv } from '../../../src/backend/tracking/track-outputs'
import { ProjectLayout } from '../../../src/backend/project/layout'

const CLIP = 'c-disagree1'

/** A shuttle crossing the frame, one blob per frame where it is, sure of itself. */
function flight(n: number): RawDetection[] {
  return Array.from({ length: n }, (_, f) => {
    const blob = { x: 100 + 6 * f, y: 300 - 2 * f, mass: 3, confidence: 0.95 }
    return { frame: f, visible: true, x: blob.x, y: blob.y, confidence: 0.95, candidates: [blob] }
  })
}

/** The track file as the tracking service keeps it in the project (rectified, with each frame's candidates). */
function trackCsv(raw: RawDetection[]): string {
  const rectified = rectifyTrack(raw, { video: { width: 1280, height: 720 } })
  return withCandidatesColumn(
    rectifiedCsv(rectified),
    raw.map((d) => d.candidates)
  )
}

/** Frame 12: a brighter look-alike, but the flight path kept the shuttle; frame 25: one far-off blob alone. */
function disagreeingTrack(): RawDetection[] {
  const raw = flight(40)
  const d12 = raw[12]!
  const lookAlike = { x: 1100, y: 80, mass: 6, confidence: 0.97 }
  d12.candidates = [lookAlike, d12.candidates[0]!]
  const outlier = { x: 1200, y: 650, mass: 5, confidence: 0.96 }
  raw[25] = { frame: 25, visible: true, x: outlier.x, y: outlier.y, confidence: 0.96, candidates: [outlier] }
  return raw
}

describe('disagreements of one clip', () => {
  let dir: string
  let layout: ProjectLayout
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'disagree-'))
    layout = new ProjectLayout(dir)
    await mkdir(layout.predictionsDir, { recursive: true })
  })
  afterEach(() => rm(dir, { recursive: true, force: true }))

  it('finds the other blob taken and the removed detection in a track as Track writes it', () => {
    const rows = parsePredictionCsv(trackCsv(disagreeingTrack()))
    // Rectification removed the outlier (and left the frame empty: gaps are filled only when asked).
    expect(rows.find((r) => r.frame === 25)?.source).toBe('removed')
    expect(disagreementFrames(rows)).toEqual([12, 25])
  })

  it('a steady flight has none, and unsure or jumping frames are not disagreements', () => {
    const raw = flight(30)
    raw[8]!.confidence = 0.51
    raw[8]!.candidates[0]!.confidence = 0.51
    // A real gap (the model saw nothing sure) is no disagreement either.
    raw[20] = {
      frame: 20,
      visible: false,
      x: 0,
      y: 0,
      confidence: 0.2,
      candidates: [{ x: 900, y: 90, mass: 1, confidence: 0.2 }]
    }
    expect(disagreementFrames(parsePredictionCsv(trackCsv(raw)))).toEqual([])
  })

  it("reads the clip's newest track in the project, and no other clip's", async () => {
    const older = layout.predictionFile(CLIP, 'a'.repeat(64))
    await writeFile(older, trackCsv(flight(40)))
    await utimes(older, new Date(2020, 0, 1), new Date(2020, 0, 1))
    await writeFile(layout.predictionFile(CLIP, 'b'.repeat(64)), trackCsv(disagreeingTrack()))
    await writeFile(layout.predictionFile('c-otherclip', 'c'.repeat(64)), trackCsv(disagreeingTrack()))
    expect(await clipDisagreements(dir, CLIP)).toEqual({ clipId: CLIP, frames: [12, 25] })
    // The newest track is the sure one now: its clip has no disagreement any more.
    await utimes(older, new Date(), new Date(Date.now() + 60_000))
    expect((await clipDisagreements(dir, CLIP)).frames).toEqual([])
  })

  it('a clip with no track has none; with no project open it says so', async () => {
    expect(await clipDisagreements(dir, 'c-untracked')).toEqual({ clipId: 'c-untracked', frames: [] })
    await expect(clipDisagreements(null, CLIP)).rejects.toThrow(/No project is open/)
  })
})
