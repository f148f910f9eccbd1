// Runs in Node (Vitest): what the evaluation tests evaluate — a labelled TrackNet-layout match made by the
// synthetic rally generator (real H.264 video through ffmpeg, labels from the generator's physics), so the
// bundled model has real frames to get right and wrong.
import path from 'node:path'
import { locateFfmpeg } from '../../../src/backend/ffmpeg/locate'
import { generateMatch } from '../../../src/backend/synth/match'
import { checkSynthOptions } from '../../../src/backend/synth/options'

export interface LabelledMatch {
  projectDir: string
  match: string
  clips: { clip: string; video: string; csv: string; frames: number }[]
}

/**
 * 1280×720 like the broadcasts the bundled model was trained on, so its output is a mix of TPs, misses and
 * false detections rather than all one outcome; two seconds per clip keeps tracking to seconds on a CPU.
 */
export async function makeLabelledMatch(dir: string, clips = 2, seed = 3): Promise<LabelledMatch> {
  const projectDir = path.join(dir, 'project')
  const match = 'match_a'
  const opts = checkSynthOptions({
    out: projectDir,
    match,
    clips,
    seconds: 2,
    width: 1280,
    height: 720,
    fps: 30,
    seed,
    exposure: 0.5,
    mode: 'broadcast',
    preset: 'ultrafast',
    crf: 20
  })
  const r = await generateMatch(opts, (await locateFfmpeg()).ffmpegPath)
  return {
    projectDir,
    match,
    clips: r.clips.map((c) => ({ clip: c.name, video: c.video, csv: c.csv, frames: c.frames }))
  }
}
