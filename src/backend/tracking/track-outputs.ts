// Runs in the backend (plain Node): from a video's raw detections to what the user keeps — the rectified
// track and the raw one — written atomically. Layout, for a video "clip.mp4" in folder DIR:
//   DIR/clip.csv      Frame,Visibility,X,Y,Confidence,Source — rectified; the TrackNet prediction columns
//                     first (every TrackNet tool reads them), then where each row came from
//                     (detected | filled | removed | smoothed | none);
//   DIR/clip.raw.csv  Frame,Visibility,X,Y,Confidence,Candidates — the tracker's detections, untouched, and
//                     each frame's strongest blobs (shared/heatmap/candidates-csv.ts), which rectification
//                     and review can choose from.
// Without rectification only DIR/clip.csv is written, with the raw detections and their candidates and no
// Source column.
import path from 'node:path'
import { withCandidatesColumn } from '../../shared/heatmap'
import { writeLabelCsv } from '../../shared/labels/write'
import { writeFileAtomic } from '../fs/atomic-write'
import { writeError } from './errors'
import type { RawDetection } from './heatmap-merge'
import { rectifyTrack, type RectifiedPoint, type RectifyOptions } from './rectify'

export function outputName(video: string): string {
  return path.basename(video, path.extname(video))
}

export function rectifiedCsv(points: readonly RectifiedPoint[]): string {
  const lines = writeLabelCsv(points, { confidence: true, frameCount: points.length }).split('\n')
  lines[0] += ',Source'
  for (let i = 1; i < lines.length; i++)
    if (lines[i]) lines[i] += `,${(points[i - 1] as RectifiedPoint).source}`
  return lines.join('\n')
}

/** The raw detections with each frame's candidates. */
export function rawCsv(detections: readonly RawDetection[]): string {
  return withCandidatesColumn(
    writeLabelCsv(detections, { confidence: true, frameCount: detections.length }),
    detections.map((d) => d.candidates)
  )
}

export interface WrittenOutputs {
  csv: string
  raw: string | null
  points: RectifiedPoint[]
}

export async function writeTrackOutputs(
  outDir: string,
  video: string,
  detections: readonly RawDetection[],
  rectify: RectifyOptions & { enabled: boolean }
): Promise<WrittenOutputs> {
  const name = outputName(video)
  const csv = path.join(outDir, `${name}.csv`)
  const write = async (file: string, text: string): Promise<void> => {
    try {
      await writeFileAtomic(file, text)
    } catch (e) {
      throw writeError(file, e)
    }
  }
  if (!rectify.enabled) {
    const points = detections.map(
      (d) => ({ ...d, source: d.visible ? 'detected' : 'none' }) as RectifiedPoint
    )
    await write(csv, rawCsv(detections))
    return { csv, raw: null, points }
  }
  const points = rectifyTrack(detections, rectify)
  const raw = path.join(outDir, `${name}.raw.csv`)
  await write(raw, rawCsv(detections))
  await write(csv, rectifiedCsv(points))
  return { csv, raw, points }
}
