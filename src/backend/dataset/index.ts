// Runs in the backend (plain Node): TrackNet-layout folders on disk, in one import.
export * from './layout'
export * from './probe-size'
export * from './label-file'
export * from './prediction-file'
export * from './evaluate-root'
