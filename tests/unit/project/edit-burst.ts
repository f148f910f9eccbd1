// Runs in Node (a child process of sigkill.test.ts, through tsx): opens a project's clip and applies edits as
// fast as they are acknowledged, printing "ack <seq> <frame>" for each, until it is killed.
import { placePoint } from '@shared/project'
import { fakeOpener, makeService } from './helpers'

// No top-level await: the repository's TypeScript runs as CommonJS under tsx.
async function main(dir: string, clipId: string): Promise<void> {
  // A short save delay, so saves (CSV, state, journal compaction) happen during the burst and get killed too.
  const { service } = makeService(fakeOpener(100_000), { saveDelayMs: 100 })
  await service.openProject({ dir })
  await service.openClip({ clipId })
  process.stdout.write('ready\n')
  for (let i = 0; ; i++) {
    const { seq } = await service.edit({ clipId, edits: [placePoint(i, i + 0.25, i + 0.5)] })
    process.stdout.write(`ack ${seq} ${i}\n`)
  }
}

const [dir, clipId] = process.argv.slice(2)
if (!dir || !clipId) throw new Error('usage: edit-burst.ts <project> <clipId>')
void main(dir, clipId)
