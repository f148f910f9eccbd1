// Runs in the renderer: what the Import labels dialog says when the file, taken with the studio's frame
// numbers, could as well be numbered by OpenCV's seek (a video that drops frames; see the backend's
// numbering-hint.ts), so a file from TrackNet's labelling tool is not taken a few frames off without a word.
import type { Result } from '@shared/api/contract'

type Hint = NonNullable<Result<'labels.import'>['numberingHint']>

const pct = (n: number, of: number): string => `${Math.round((100 * n) / of)} %`

export function numberingAdvice(h: Hint): string {
  const which = h.moves === 1 ? 'label belongs on another picture' : 'labels belong on other pictures'
  const lead =
    `This video drops frames: if the file numbers frames as OpenCV's seek does (TrackNet's labelling tool, ` +
    `cv2 scripts), ${h.moves} ${which} (up to ${Math.abs(h.maxShift)} frames away).`
  const t = h.track
  if (!t) return `${lead} Tick "OpenCV numbering" if it came from such a tool.`
  const as = pct(t.asNumbered, t.compared)
  const cv = pct(t.opencv, t.compared)
  if (t.opencv > t.asNumbered)
    return `${lead} The tracker's track agrees with ${cv} of its visible labels under OpenCV numbering, ${as} as numbered: tick "OpenCV numbering".`
  return `${lead} The tracker's track agrees with ${as} of its visible labels as numbered, ${cv} under OpenCV numbering: the file's own numbering looks right.`
}
