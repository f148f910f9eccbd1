// Runs in Node (Vitest): the rows of the bad-input suite for browser mode's API and upload route — the corpus
// of corpus.ts through video.open, project.addVideos, labels.import, track.start and evaluation.start over the
// WebSocket, and through the upload route — each with the answer documented for it (src/shared/api/methods,
// README.md): a good file works; a bad one gets its error code and says why, and changes nothing.
import type { VideoCorpus } from './corpus'

/** What a case must answer: success, or an error with this code saying this. */
export type Expected = { ok: true } | { code: string; says: RegExp }

const NOT_A_VIDEO: Expected = {
  code: 'not-a-video',
  says: /is not a video ffmpeg can read|incomplete or damaged|has no video stream/
}

/** video.open and project.addVideos: the videos ffmpeg reads open; the others are not videos. */
export const VIDEO_ANSWERS: Record<keyof VideoCorpus, Expected> = {
  good: { ok: true },
  longer: { ok: true },
  // The index lists every frame; the broken ones show as decode errors when they are shown, not at opening.
  corruptMiddle: { ok: true },
  oneFrame: { ok: true },
  rotated: { ok: true },
  oddSize: { ok: true },
  oddRate: { ok: true },
  ntsc: { ok: true },
  unicode: { ok: true },
  empty: NOT_A_VIDEO,
  text: NOT_A_VIDEO,
  random: NOT_A_VIDEO,
  truncated: NOT_A_VIDEO,
  audioOnly: NOT_A_VIDEO
}

/** The upload route answers with an HTTP status and a sentence; the body must be a video ffprobe reads. */
export function uploadAnswer(video: keyof VideoCorpus): { status: number; says: RegExp } {
  if (video === 'empty') return { status: 400, says: /is empty/ }
  if (video === 'text' || video === 'random')
    return { status: 415, says: /is not a video: it does not start as/ }
  if (video === 'truncated') return { status: 415, says: /was not added: .*incomplete or damaged/ }
  if (video === 'audioOnly') return { status: 415, says: /was not added: .*no video stream/ }
  return { status: 200, says: /"added":\[\{/ }
}

/**
 * labels.import with apply, on a 6-frame 64×48 clip without labels: the readable rows go in as one edit and
 * every problem is named with its line; a file that cannot be read as labels, or with a frame twice, is not
 * applied at all and says why.
 */
export type ImportAnswer =
  { applied: true; issue: RegExp | null } | { applied: false; notApplied: RegExp; issue: RegExp }

export const IMPORT_ANSWERS: Record<string, ImportAnswer> = {
  good: { applied: true, issue: null },
  'bom-crlf': { applied: true, issue: null },
  empty: { applied: false, notApplied: /could not be read as labels/, issue: /file is empty/ },
  'header-only': { applied: false, notApplied: /changes no frame/, issue: /Frames 0–5 are missing/ },
  'wrong-columns': {
    applied: false,
    notApplied: /could not be read as labels/,
    issue: /not a label file, so nothing of it is shown/
  },
  random: {
    applied: false,
    notApplied: /could not be read as labels/,
    issue: /not a label file, so nothing of it is shown/
  },
  duplicate: { applied: false, notApplied: /Not applied: Frame 2 again/, issue: /Frame 2 again/ },
  'missing-column': { applied: true, issue: /3 columns, expected 4; row not read/ },
  nan: { applied: true, issue: /\(NaN, 20\) is not a pair of numbers; row not read/ },
  inf: { applied: true, issue: /\(Infinity, 20\) is not a pair of numbers; row not read/ },
  'frame-not-number': { applied: true, issue: /Frame "two" is not a number; row not read/ },
  missing: { applied: true, issue: /Frame 2 is missing/ },
  huge: { applied: true, issue: /no video is that large/ },
  negative: { applied: true, issue: /a negative position/ },
  'off-frame': { applied: true, issue: /outside the 64×48 frame/ },
  unsorted: { applied: true, issue: /out of order/ },
  'normalised-over-1': { applied: true, issue: /is outside 0\.\.1/ }
}

/** A model that is not a model: refused before any job starts, saying what is wrong with the file. */
export const MODEL_ANSWERS: Record<string, RegExp> = {
  random: /not an ONNX model/,
  text: /not an ONNX model/,
  empty: /not an ONNX model: the file is empty/,
  truncated: /not an ONNX model: a field runs past the end of the file/
}
