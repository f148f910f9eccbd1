// Runs in the backend (plain Node): the one way to name a file kept aside beside the original, as
// <name>.<why>-<time>: one that could not be read (a project.json, a clip's journal, the recent-projects list:
// 'damaged') or one the studio is about to save over although someone changed it outside the studio
// ('replaced'). A person finds them all the same way, and a second one never overwrites the first.
const stamp = (now: Date): string => now.toISOString().replace(/[:.]/g, '-')

export function damagedCopyPath(file: string, now: Date = new Date()): string {
  return `${file}.damaged-${stamp(now)}`
}

export function replacedCopyPath(file: string, now: Date = new Date()): string {
  return `${file}.replaced-${stamp(now)}`
}
