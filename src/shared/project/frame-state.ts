// Runs everywhere (shared): what a frame's label says, exactly. Every frame of a clip has one visibility, one
// position, one source and one review state; the UI shows these words and the exported files follow them
// (docs/USERS.md point 10: visibility must mean one thing).

/**
 * - 'visible': the shuttle can be seen in this frame (even partly, or blurred) and x, y is its centre.
 * - 'hidden': the frame was labelled and the shuttle cannot be seen in it (out of the picture, behind a player,
 *   not in play). Written as Visibility 0 in TrackNet files.
 * - 'unknown': nobody (person, model, import) has said anything about this frame yet. Not written as a row in
 *   the clip's CSV, so an unlabelled frame never turns into a "not visible" training example by accident.
 */
export const VISIBILITIES = ['unknown', 'hidden', 'visible'] as const
export type Visibility = (typeof VISIBILITIES)[number]

/**
 * Who last set this frame's visibility and position:
 * - 'none': nobody (only with visibility 'unknown').
 * - 'model': the tracker's prediction, as it came out (its confidence is kept).
 * - 'interpolated': computed by the studio between two labelled frames (linear or ballistic).
 * - 'human': placed, moved or marked not visible by a person in the studio.
 * - 'imported': read from a label file (the project's own CSV when the studio first saw it, or an import).
 * A human label always wins: tools that fill frames in (predictions, interpolation) leave 'human' frames alone.
 */
export const SOURCES = ['none', 'model', 'interpolated', 'human', 'imported'] as const
export type Source = (typeof SOURCES)[number]

/**
 * Whether a person has checked this frame's label:
 * - 'unreviewed': no person has looked at it (every model, interpolated or imported label starts here).
 * - 'accepted': a person looked at a label they did not make and kept it as it was.
 * - 'corrected': a person made or changed the label (placed, moved, marked not visible).
 * - 'verified': a second look confirmed an accepted or corrected label (a verification pass); the strongest.
 * Accepted, corrected and verified frames count as reviewed.
 */
export const REVIEWS = ['unreviewed', 'accepted', 'corrected', 'verified'] as const
export type Review = (typeof REVIEWS)[number]

/** One frame's label, as the UI reads it. confidence is the model's (0..1), null when there is none. */
export interface FrameLabel {
  visibility: Visibility
  x: number
  y: number
  source: Source
  review: Review
  confidence: number | null
}

export const EMPTY_FRAME: Readonly<FrameLabel> = Object.freeze({
  visibility: 'unknown',
  x: 0,
  y: 0,
  source: 'none',
  review: 'unreviewed',
  confidence: null
})

/** Codes used in the columnar form (columns.ts): the index in the lists above. */
export const visibilityCode = (v: Visibility): number => VISIBILITIES.indexOf(v)
export const sourceCode = (s: Source): number => SOURCES.indexOf(s)
export const reviewCode = (r: Review): number => REVIEWS.indexOf(r)
export const isReviewed = (reviewCodeValue: number): boolean => reviewCodeValue > 0
