// Runs everywhere (shared): the TrackNet metrics, in one import.
export * from './counts'
export * from './scores'
export * from './percentiles'
export * from './tolerance'
export * from './evaluate'
export * from './summary'
export * from './table'
