// Runs in vitest (plain Node): synthetic rallies with known truth for the analysis tests. The generator renders in
// its cheap bright-pixel mode into a sink that drops the frames (labels do not depend on the mode), so only the
// label CSV and synth.json are written: no ffmpeg, a second or two per clip.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { generateMatch } from '../../../src/backend/synth/match'
import { checkSynthOptions } from '../../../src/backend/synth/options'
import type { Calibration } from '@shared/analysis/calibration'
import { parseCalibrationFile } from '@shared/analysis/calibration-file'
import { COURT_LENGTH, COURT_WIDTH } from '@shared/analysis/court'
import { trackFromPoints, type Track } from '@shared/analysis/track'
import { readLabelCsv } from '@shared/labels'

export interface TruthHit {
  frame: number
  player: 'near' | 'far'
  shot: string
  speedKmh: number
  /** Contact in the analysis' court coordinates (corner origin). */
  contact: [number, number, number]
}

export interface SynthClip {
  name: string
  fps: number
  size: { width: number; height: number }
  track: Track
  /** The generator's exported camera, as the analysis reads a synth.json. */
  calibration: Calibration
  hits: TruthHit[]
  landings: { frame: number; position: [number, number] }[]
  synthJsonText: string
  csvPath: string
  dir: string
}

export async function makeSynthClip(seed: number, fps: 30 | 60, seconds: number): Promise<SynthClip> {
  const dir = await mkdtemp(path.join(tmpdir(), `analysis-s${seed}-`))
  const opts = checkSynthOptions({
    out: dir,
    match: 'm',
    clips: 1,
    seconds,
    width: 1280,
    height: 720,
    fps,
    seed,
    exposure: 0.5,
    mode: 'bright-pixel',
    preset: 'ultrafast',
    crf: 20
  })
  const sink = { write: async () => undefined, close: async () => undefined }
  const r = await generateMatch(opts, null, { sinkFor: () => sink })
  const synthJsonText = await readFile(r.synthJson, 'utf8')
  const synth = JSON.parse(synthJsonText) as {
    size: { width: number; height: number }
    clips: {
      hits: { frame: number; player: 'near' | 'far'; shot: string; speedKmh: number; contact: number[] }[]
      landings: { frame: number; position: number[] }[]
    }[]
  }
  const csvPath = r.clips[0]!.csv
  const points = readLabelCsv(await readFile(csvPath, 'utf8')).points
  const clip = synth.clips[0]!
  // The generator's court has its origin at the centre; the analysis' at the near-left corner.
  const toCorner = (p: number[]): [number, number] => [p[0]! + COURT_WIDTH / 2, p[1]! + COURT_LENGTH / 2]
  return {
    name: `seed ${seed} @ ${fps} fps`,
    fps,
    size: synth.size,
    track: trackFromPoints(points, fps, r.clips[0]!.frames),
    calibration: parseCalibrationFile(synthJsonText),
    hits: clip.hits.map((h) => ({ ...h, contact: [...toCorner(h.contact), h.contact[2]!] })),
    landings: clip.landings.map((l) => ({ frame: l.frame, position: toCorner(l.position) })),
    synthJsonText,
    csvPath,
    dir
  }
}

export function removeClip(c: SynthClip | undefined): Promise<void> {
  return c ? rm(c.dir, { recursive: true, force: true }) : Promise.resolve()
}

/** A track with Gaussian label noise (deterministic). */
export function noisyTrack(t: Track, sd: number, seed = 7): Track {
  let s = seed
  const rnd = (): number => {
    s = (s * 16807) % 2147483647
    return s / 2147483647
  }
  const gauss = (): number => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd())
  return {
    fps: t.fps,
    visible: t.visible.slice(),
    x: t.x.map((x, i) => (t.visible[i] ? x + sd * gauss() : x)),
    y: t.y.map((y, i) => (t.visible[i] ? y + sd * gauss() : y))
  }
}

/** Truth hits matched by detected hits within ±tol frames (each detection used once). */
export function matchHits(truth: readonly { frame: number }[], found: readonly { frame: number }[], tol = 2) {
  const used = new Set<number>()
  const pairs: [number, number][] = []
  truth.forEach((t, i) => {
    let best = -1
    found.forEach((f, j) => {
      if (used.has(j) || Math.abs(f.frame - t.frame) > tol) return
      if (best < 0 || Math.abs(f.frame - t.frame) < Math.abs(found[best]!.frame - t.frame)) best = j
    })
    if (best >= 0) {
      used.add(best)
      pairs.push([i, best])
    }
  })
  return {
    pairs,
    recall: pairs.length / Math.max(1, truth.length),
    falsePositives: found.length - pairs.length
  }
}
