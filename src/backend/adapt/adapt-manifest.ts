// Runs in the backend (plain Node): the manifest the Python adaptation reads (python -m shuttle_training.adapt
// --manifest FILE): per clip, the video with its rate and size and the ground-truth rows to train on and to hold
// back, as [frame, visibility, x, y] in the video's pixels (visibility 0 or 1, as in TrackNet CSVs). A frame
// in neither list is unknown and never a target. Written atomically: the Python side never reads half a file.
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { writeFileAtomic } from '../fs/atomic-write'
import type { ClipTruth } from './adapt-truth'

export type ManifestRow = [frame: number, visibility: 0 | 1, x: number, y: number]

/** A clip as the truth reader gives it (name, video and its facts), with the rows to train on and hold back. */
export interface ManifestClip extends Pick<
  ClipTruth,
  'match' | 'clip' | 'video' | 'fps' | 'width' | 'height' | 'frames'
> {
  train: ManifestRow[]
  held: ManifestRow[]
}

export interface AdaptManifest {
  version: 1
  root: string
  clips: ManifestClip[]
}

export const MANIFEST_FILE = 'manifest.json'

export function manifestRow(r: Row): ManifestRow {
  return r.visible ? [r.frame, 1, r.x, r.y] : [r.frame, 0, 0, 0]
}

type Row = { frame: number; visible: boolean; x: number; y: number }

/** A clip's entry: its video's facts, and the rows to train on and to hold back. */
export function manifestClip(
  c: Omit<ManifestClip, 'train' | 'held'>,
  train: readonly Row[],
  held: readonly Row[]
): ManifestClip {
  const { match, clip, video, fps, width, height, frames } = c
  return {
    match,
    clip,
    video,
    fps,
    width,
    height,
    frames,
    train: train.map(manifestRow),
    held: held.map(manifestRow)
  }
}

/** Writes runDir/manifest.json (the folder is made when missing); returns its path. */
export async function writeManifestFile(runDir: string, manifest: AdaptManifest): Promise<string> {
  await mkdir(runDir, { recursive: true })
  const file = path.join(runDir, MANIFEST_FILE)
  await writeFileAtomic(file, JSON.stringify(manifest))
  return file
}
