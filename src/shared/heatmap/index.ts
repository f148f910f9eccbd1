// Runs everywhere (shared): heatmap post-processing and the letterbox geometry, in one import.
export * from './letterbox'
export * from './decode'
export * from './trajectory'
export * from './candidates-csv'
