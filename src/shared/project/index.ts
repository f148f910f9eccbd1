// Runs everywhere (shared): the annotation studio's label model — per-frame state, columns, edits and their
// inverses, interpolation, and the file formats — in one import.
export * from './frame-state'
export * from './columns'
export * from './wire'
export * from './schemas'
export * from './edits'
export * from './interpolate'
export * from './formats/label-io'
