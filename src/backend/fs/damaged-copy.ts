// Runs in the backend (plain Node): the one name for a file kept aside because it could not be read — a
// project.json, a clip's journal, the recent-projects list — beside it, as <name>.damaged-<time>, so a person
// can find them all the same way and a second one never overwrites the first.
export function damagedCopyPath(file: string, now: Date = new Date()): string {
  return `${file}.damaged-${now.toISOString().replace(/[:.]/g, '-')}`
}
