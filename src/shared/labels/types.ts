// Runs everywhere (shared): the label model. One point per frame, in the video's own pixels, with a visibility
// flag; predictions add the model's confidence. Every CSV variant is read into this and written from it.

/** One frame's label or prediction. x, y are video pixels (pixel-centre convention: pixel i spans i-0.5..i+0.5). */
export interface LabelPoint {
  frame: number
  visible: boolean
  /** Meaningless when not visible; the standard files write 0 there. */
  x: number
  y: number
  /** Only predictions carry one (0..1). */
  confidence?: number
}

export interface VideoSize {
  width: number
  height: number
}

/**
 * The CSV variants met in the wild (docs/USERS.md point 9):
 * - 'pixels': `Frame,Visibility,X,Y`, the TrackNet standard, video pixels;
 * - 'normalised': `Frame,Ball,x,y` (or `Frame,Visibility,x,y`), 0..1 of the video's size;
 * - 'prediction': `Frame,Visibility,X,Y,Confidence`, pixels plus the model's confidence.
 */
export type LabelFormat = 'pixels' | 'normalised' | 'prediction'

export type LabelIssueCode =
  | 'empty-file'
  | 'bad-header'
  | 'extra-columns'
  | 'missing-columns'
  | 'needs-video-size'
  | 'frame-not-number'
  | 'frame-not-integer'
  | 'frame-negative'
  | 'frame-beyond-video'
  | 'visibility-not-number'
  | 'visibility-unusual'
  | 'coordinate-not-number'
  | 'coordinate-negative'
  | 'coordinate-huge'
  | 'coordinate-off-frame'
  | 'normalised-out-of-range'
  | 'confidence-out-of-range'
  | 'visible-at-origin'
  | 'duplicate-frame'
  | 'out-of-order'
  | 'missing-frames'
  | 'row-count'
  | 'more-issues'

/**
 * 'error': the row (or file) cannot be used as it stands — an error on a row means the row was left out of
 * `points`. 'warning': the row was read as written but looks wrong; a person should look.
 */
export type LabelIssueSeverity = 'error' | 'warning'

export interface LabelIssue {
  /** 1-based line of the file (the header is line 1); 0 for issues about the whole file. */
  row: number
  code: LabelIssueCode
  severity: LabelIssueSeverity
  message: string
  frame?: number
}

/** A point as read, with the file line it came from (so later checks can name it). */
export interface RowPoint extends LabelPoint {
  row: number
}

export interface ParsedLabels {
  /** null when the header was not recognised (then points is empty). */
  format: LabelFormat | null
  /** The usable rows, in FILE order, as written: nothing reordered, deduplicated or filled in. */
  points: RowPoint[]
  issues: LabelIssue[]
}
