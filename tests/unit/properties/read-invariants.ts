// Runs in Node (Vitest): what every label reader promises whatever it is given, checked the same way for the
// CSV, COCO and CVAT readers: finite points on real lines, and an issue naming each row that looks wrong.
import { expect } from 'vitest'
import { HUGE_COORDINATE } from '@shared/labels/parse'
import type { LabelIssue, RowPoint, VideoSize } from '@shared/labels/types'

export interface ReadOutcome {
  points: readonly RowPoint[]
  issues: readonly LabelIssue[]
}

const lineCount = (text: string): number => text.split(/\r\n|\r|\n/).length

/**
 * - every point is on a real line, at a whole non-negative frame, with a finite position and confidence;
 * - every issue has a readable message, a line of the file (0 for the whole file) and, if any, a whole frame
 *   (the API sends issues with `frame` as an integer);
 * - a visible point outside the picture (negative, huge, off a known video) or a confidence outside 0..1 is
 *   never returned as if it were fine: an issue names its line; so is a frame beyond a known frame count.
 */
export function expectSoundRead(
  text: string,
  read: ReadOutcome,
  video?: VideoSize,
  frameCount?: number
): void {
  const lines = lineCount(text)
  for (const i of read.issues) {
    expect(typeof i.message === 'string' && i.message.length > 0, JSON.stringify(i)).toBe(true)
    expect(Number.isInteger(i.row) && i.row >= 0 && i.row <= lines, JSON.stringify(i)).toBe(true)
    expect(['error', 'warning']).toContain(i.severity)
    if (i.frame !== undefined) expect(Number.isSafeInteger(i.frame), JSON.stringify(i)).toBe(true)
  }
  const flagged = new Set(read.issues.map((i) => i.row))
  for (const p of read.points) {
    const at = JSON.stringify(p)
    expect(Number.isSafeInteger(p.frame) && p.frame >= 0, at).toBe(true)
    expect(Number.isInteger(p.row) && p.row >= 1 && p.row <= lines, at).toBe(true)
    expect(Number.isFinite(p.x) && Number.isFinite(p.y), at).toBe(true)
    expect(typeof p.visible).toBe('boolean')
    if (frameCount !== undefined && p.frame >= frameCount)
      expect(flagged.has(p.row), `unflagged ${at}`).toBe(true)
    if (p.confidence !== undefined) {
      expect(Number.isFinite(p.confidence), at).toBe(true)
      if (p.confidence < 0 || p.confidence > 1) expect(flagged.has(p.row), `unflagged ${at}`).toBe(true)
    }
    if (!p.visible) continue
    const outside =
      p.x < 0 ||
      p.y < 0 ||
      (p.x === 0 && p.y === 0) ||
      p.x > HUGE_COORDINATE ||
      p.y > HUGE_COORDINATE ||
      (video !== undefined && (p.x > video.width - 0.5 || p.y > video.height - 0.5))
    if (outside) expect(flagged.has(p.row), `unflagged ${at}`).toBe(true)
  }
}
