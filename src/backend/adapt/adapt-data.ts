// Runs in the backend (plain Node): what adapting a model to the user's labels would train on and hold back —
// the dataset summary the CLI prints and the Train tab shows — and the manifest the Python side reads. Ground
// truth follows the `eval` rule (adapt-truth.ts); the held-back part is whole clips where three or more clips
// have labels, else the last quarter of every labelled clip by time (adapt-split.ts). `problem` says why
// adaptation would be refused (too few labels to train on, no usable clip), null when it can run.
import path from 'node:path'
import { locateFfmpeg } from '../ffmpeg/locate'
import { manifestClip, writeManifestFile, type AdaptManifest, type ManifestClip } from './adapt-manifest'
import { clipsToHoldBack, takeEvenly, timeSplitFrom } from './adapt-split'
import { readRootTruth, type ClipTruth, type RootTruth, type SkippedClip, type TruthRow } from './adapt-truth'

export interface AdaptClip {
  match: string
  clip: string
  /** Absolute video path. */
  video: string
  /** Frames of the video (or one past the last labelled frame where the video does not say). */
  frames: number
  /** Ground-truth rows only (the eval rule). */
  labelled: number
  visible: number
  invisible: number
  /** Of those, reviewed in the studio (0 outside a project). */
  reviewed: number
  /** How this clip is held back, if at all. */
  heldBack: 'clip' | 'time' | null
  /** By time: the first held-back frame; by clip: 0; null when not held back. */
  heldFrom: number | null
  /** Rows trained on (after --max-frames) and held back. */
  train: number
  held: number
  /** Rows of the CSV skipped: unreadable, off the picture, beyond the video, repeated. */
  badRows: number
  /** Labelled frames that are not ground truth: the tracker's or interpolated, unreviewed (projects only). */
  notByPeople: number
}

export interface AdaptSummary {
  root: string
  clips: AdaptClip[]
  trainFrames: number
  heldFrames: number
  /** Why adaptation would be refused (too few labels...), null when it can run. */
  problem: string | null
  /** Clips left out, each with a sentence saying why (missing video, unreadable labels...). */
  skipped: SkippedClip[]
}

export interface AdaptDataOptions {
  /** Train on at most this many labelled frames, taken evenly over the training part. */
  maxFrames?: number
  /** ffprobe to read the videos' rate and size; default: the one the studio finds. */
  ffprobe?: string
}

/** The fewest labelled frames adaptation trains on. */
export const MIN_TRAIN_FRAMES = 20

export async function summariseAdaptData(root: string, opts: AdaptDataOptions = {}): Promise<AdaptSummary> {
  return (await planAdapt(root, opts)).summary
}

/** Writes runDir/manifest.json (atomically) for the Python side, with the summary it was made from. */
export async function writeAdaptManifest(
  root: string,
  runDir: string,
  opts: AdaptDataOptions = {}
): Promise<{ manifest: string; summary: AdaptSummary }> {
  const plan = await planAdapt(root, opts)
  return { manifest: await writeManifestFile(runDir, plan.manifest), summary: plan.summary }
}

async function planAdapt(
  root: string,
  opts: AdaptDataOptions
): Promise<{ summary: AdaptSummary; manifest: AdaptManifest }> {
  const max = opts.maxFrames
  if (max !== undefined && !(Number.isInteger(max) && max > 0)) {
    throw new RangeError(`maxFrames must be a whole number above 0, not ${max}.`)
  }
  const ffprobe = opts.ffprobe ?? (await locateFfmpeg()).ffprobePath
  return planFromTruth(await readRootTruth(root, ffprobe), max)
}

/** The split and the manifest from clips already read (pure: the same clips always give the same plan). */
export function planFromTruth(
  truth: RootTruth,
  maxFrames?: number
): { summary: AdaptSummary; manifest: AdaptManifest } {
  const byClip = clipsToHoldBack(truth.clips.map((c) => c.rows.length))
  // Too few labelled clips to hold whole ones back: every clip gives its last quarter instead.
  const parts = truth.clips.map((c, i) =>
    splitClip(c, byClip.has(i) ? 'clip' : byClip.size === 0 ? 'time' : null)
  )
  // --max-frames thins the training rows of all clips together, evenly, so every clip keeps its share.
  const all = parts.flatMap((p, clip) => p.train.map((row) => ({ clip, row })))
  const kept = takeEvenly(all, maxFrames)
  const train = parts.map((): TruthRow[] => [])
  for (const k of kept) train[k.clip]!.push(k.row)
  const clips: AdaptClip[] = truth.clips.map((c, i) => {
    const visible = c.rows.filter((r) => r.visible).length
    return {
      match: c.match,
      clip: c.clip,
      video: c.video,
      frames: c.frames,
      labelled: c.rows.length,
      visible,
      invisible: c.rows.length - visible,
      reviewed: c.rows.filter((r) => r.reviewed).length,
      heldBack: parts[i]!.heldBack,
      heldFrom: parts[i]!.heldFrom,
      train: train[i]!.length,
      held: parts[i]!.held.length,
      badRows: c.badRows,
      notByPeople: c.notByPeople
    }
  })
  const trainFrames = kept.length
  const heldFrames = clips.reduce((s, c) => s + c.held, 0)
  const summary: AdaptSummary = {
    root: truth.root,
    clips,
    trainFrames,
    heldFrames,
    problem:
      problemOf(truth, trainFrames, heldFrames, maxFrames) ??
      noneVisible(kept.filter((k) => k.row.visible).length, trainFrames),
    skipped: truth.skipped
  }
  const manifestClips: ManifestClip[] = truth.clips
    .map((c, i) => manifestClip(c, train[i]!, parts[i]!.held))
    .filter((c) => c.train.length + c.held.length > 0)
  return { summary, manifest: { version: 1, root: truth.root, clips: manifestClips } }
}

interface ClipSplit {
  heldBack: 'clip' | 'time' | null
  heldFrom: number | null
  train: TruthRow[]
  held: TruthRow[]
}

function splitClip(c: ClipTruth, how: 'clip' | 'time' | null): ClipSplit {
  if (how === 'clip') return { heldBack: 'clip', heldFrom: 0, train: [], held: c.rows }
  if (how === 'time') {
    const from = timeSplitFrom(c.rows.map((r) => r.frame))
    if (from !== null) {
      return {
        heldBack: 'time',
        heldFrom: from,
        train: c.rows.filter((r) => r.frame < from),
        held: c.rows.filter((r) => r.frame >= from)
      }
    }
  }
  return { heldBack: null, heldFrom: null, train: c.rows, held: [] }
}

/**
 * Frames labelled "not visible" teach only what is not a shuttle: a model adapted on them alone learns to see
 * nothing, and scores no better on them than before.
 */
function noneVisible(visible: number, trainFrames: number): string | null {
  if (visible > 0) return null
  return (
    `none of the ${trainFrames} frames to train on shows the shuttle (all are labelled not visible). ` +
    'Label frames where the shuttle is in the picture.'
  )
}

function problemOf(
  truth: RootTruth,
  trainFrames: number,
  heldFrames: number,
  maxFrames: number | undefined
): string | null {
  const labelled = truth.clips.reduce((s, c) => s + c.rows.length, 0)
  const noVideo = truth.skipped.filter((s) => s.kind === 'no-video' || s.kind === 'video')
  if (truth.clips.length === 0) {
    const why = noVideo.length
      ? `${noVideo.length} labelled clip(s) have no readable video (${noVideo.map((s) => `${s.match}/${s.clip}`).join(', ')})`
      : `it holds no clip with both a video (<match>/video/<clip>.mp4) and labels (<match>/csv/<clip>_ball.csv)`
    return `${path.basename(truth.root) || truth.root}: nothing to adapt on: ${why}.`
  }
  if (trainFrames >= MIN_TRAIN_FRAMES) return null
  const notPeople = truth.clips.reduce((s, c) => s + c.notByPeople, 0)
  const unreviewed = notPeople
    ? ` (${notPeople} more are the tracker's or interpolated labels nobody reviewed: accept or correct them to count)`
    : ''
  if (maxFrames !== undefined && maxFrames < MIN_TRAIN_FRAMES) {
    return `--max-frames ${maxFrames} leaves too few frames to train on; adaptation needs at least ${MIN_TRAIN_FRAMES}.`
  }
  return (
    `too few labels: ${trainFrames} labelled frames to train on and ${heldFrames} held back to measure ` +
    `(${labelled} in all)${unreviewed}; adaptation needs at least ${MIN_TRAIN_FRAMES} to train on. ` +
    'Label more frames (a frame counts when a person labelled, imported or accepted it).'
  )
}
