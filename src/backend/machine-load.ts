// Runs in the backend (plain Node): whether the machine's cores are all taken by other work right now, for the
// choices that should not be made as if they were free: how many threads a seek's decoder starts
// (video/decoder-args.ts) and whether a speed measurement is kept (tracking/precision-choice.ts).
import os from 'node:os'

/** 1-minute load average at least the core count (never on Windows, which reports none). */
export function machineBusy(load = os.loadavg()[0] ?? 0, cores = os.availableParallelism()): boolean {
  return load >= cores
}
