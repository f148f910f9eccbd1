// Runs in Node (a child process of sigkill-ranges.test.ts, through tsx): opens a project's clip and applies the
// range edits of range-edits.ts as fast as they are acknowledged, printing "ack <seq> <k>" for each, until it is
// killed (or runs out of edits, then it waits to be killed).
import { fakeOpener, makeService } from './helpers'
import { FRAMES, rangeEdit } from './range-edits'

// No top-level await: the repository's TypeScript runs as CommonJS under tsx.
async function main(dir: string, clipId: string, saveDelayMs: number): Promise<void> {
  const { service } = makeService(fakeOpener(FRAMES), { saveDelayMs })
  await service.openProject({ dir })
  await service.openClip({ clipId })
  process.stdout.write('ready\n')
  for (let k = 0; k < 90; k++) {
    const { seq } = await service.edit({ clipId, edits: [rangeEdit(k)] })
    process.stdout.write(`ack ${seq} ${k}\n`)
  }
  setInterval(() => undefined, 60_000)
}

const [dir, clipId, delay] = process.argv.slice(2)
if (!dir || !clipId || !delay) throw new Error('usage: range-burst.ts <project> <clipId> <saveDelayMs>')
void main(dir, clipId, Number(delay))
