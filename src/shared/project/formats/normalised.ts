// Runs everywhere (shared): writes the normalised TrackNet variant `Frame,Ball,x,y` (0..1 of the video's
// size), which src/shared/labels reads but does not write. Eight decimals keep a 4K position to 1/10,000 px.
import { NORMALISED_HEADER } from '../../labels/header'
import type { LabelPoint, VideoSize } from '../../labels/types'
import { checkVideoSize, checkWritable } from './writable'

export function writeNormalisedCsv(points: readonly LabelPoint[], video: VideoSize): string {
  checkWritable(points)
  checkVideoSize(video)
  const sorted = [...points].sort((a, b) => a.frame - b.frame)
  const lines = [NORMALISED_HEADER.join(',')]
  const fixed = (v: number): string => {
    const s = v.toFixed(8)
    return /^-0\.?0*$/.test(s) ? s.slice(1) : s
  }
  for (const p of sorted) {
    const x = p.visible ? p.x / video.width : 0
    const y = p.visible ? p.y / video.height : 0
    lines.push([String(p.frame), p.visible ? '1' : '0', fixed(x), fixed(y)].join(','))
  }
  return lines.join('\n') + '\n'
}
