// Runs everywhere (shared): the label model and its CSV formats, in one import.
export * from './types'
export { detectHeader, PIXEL_HEADER, NORMALISED_HEADER, PREDICTION_HEADER } from './header'
export { readLabelCsv, type ReadLabelsOptions } from './read'
export { lintRows, type LintOptions } from './lint'
export { writeLabelCsv, LabelWriteError, type WriteLabelsOptions } from './write'
