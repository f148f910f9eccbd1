// Runs in Node (Vitest): a fresh folder for one test file's videos, with a space and non-ASCII characters in
// its path as users' folders have, removed afterwards.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

export function makeVideoTestDir(prefix: string): { dir: string; remove(): void } {
  const root = mkdtempSync(path.join(os.tmpdir(), `${prefix}-`))
  const dir = path.join(root, 'Matchs été 2026')
  mkdirSync(dir, { recursive: true })
  return { dir, remove: () => rmSync(root, { recursive: true, force: true }) }
}

/** Waits until cond() holds, checking every 20 ms; fails after `ms` (generous: never a timing assertion). */
export async function until(cond: () => boolean, ms = 30_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}
