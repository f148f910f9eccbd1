// Runs in Node (Vitest): the dataset export store against a real backend (loopback transport, real ffmpeg, a
// generated two-match project): an export's progress ends in done with the TrackNet layout on disk and the
// frames counted, a folder that is not empty is refused with the backend's message, and Cancel shows at once
// that it was asked for, then ends the job with nothing left in the folder.
import { existsSync, readdirSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { createPinia, setActivePinia } from 'pinia'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBackend, type Backend } from '../../../backend/services'
import { makeTwoMatchProject } from '../../../../tests/helpers/two-match-project'
import { LoopbackTransport } from '../../../../tests/unit/support/loopback'
import { StudioClient } from '../api/client'
import { provideClient } from './client'
import { useDatasetExportStore } from './dataset-export'
import { useProjectStore } from './project'

async function until(check: () => boolean, ms = 120_000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) {
      const ex = useDatasetExportStore()
      throw new Error(`timed out waiting; view ${ex.view}, error ${ex.error}`)
    }
    await new Promise((r) => setTimeout(r, 20))
  }
}

const FRAMES = 60 // 2 s at 30 fps, per clip

describe('the dataset export store', () => {
  let dir: string
  let projectDir: string
  let backend: Backend

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'dataset-export-store-'))
    projectDir = path.join(dir, 'project')
    await makeTwoMatchProject(projectDir)
    backend = await createBackend({ host: 'cli', version: 'test', cacheDir: path.join(dir, 'cache') })
    provideClient(new StudioClient(new LoopbackTransport(backend)))
    setActivePinia(createPinia())
    await useProjectStore().create(projectDir, 'Store')
  }, 120_000)
  afterAll(async () => {
    useDatasetExportStore().dispose()
    await backend?.handlers['project.close']({})
    backend?.dispose()
    await rm(dir, { recursive: true, force: true })
  })

  it('exports: progress ends in done, every frame a JPEG in the TrackNet layout', async () => {
    const ex = useDatasetExportStore()
    ex.dir = path.join(dir, 'out')
    ex.valFraction = 0.5
    await ex.start()
    expect(ex.error).toBeNull()
    expect(ex.split).toEqual({ train: expect.any(Array), val: expect.any(Array) })
    expect(ex.split!.val).toHaveLength(1)
    await until(() => ex.view !== 'running')
    expect(ex.view).toBe('done')
    expect(ex.progress).toMatchObject({ done: 2 * FRAMES, total: 2 * FRAMES })
    expect(ex.fraction).toBe(1)
    expect(ex.target).toBe(path.join(dir, 'out'))
    for (const [part, matches] of Object.entries(ex.split!)) {
      for (const m of matches) {
        const base = path.join(dir, 'out', part, m)
        const clips = readdirSync(path.join(base, 'frame'))
        expect(clips).toHaveLength(1)
        for (const clip of clips) {
          expect(readdirSync(path.join(base, 'frame', clip))).toHaveLength(FRAMES)
          expect(existsSync(path.join(base, 'csv', `${clip}_ball.csv`))).toBe(true)
        }
      }
    }
    expect(existsSync(path.join(dir, 'out', '.exporting'))).toBe(false)
  })

  it("shows the backend's refusal of a folder that is not empty, and keeps its files", async () => {
    const ex = useDatasetExportStore()
    const full = path.join(dir, 'full')
    await mkdir(full)
    await writeFile(path.join(full, 'keep.txt'), 'mine')
    ex.dir = full
    await ex.start()
    expect(ex.view).toBe('failed')
    expect(ex.error).toMatch(/is not empty/)
    expect(readdirSync(full)).toEqual(['keep.txt'])
  })

  it('cancels: cancelling shows at once, the job ends cancelled, nothing is left in the folder', async () => {
    const ex = useDatasetExportStore()
    const out = path.join(dir, 'cancelled')
    ex.dir = out
    await ex.start()
    expect(ex.view).toBe('running')
    const asked = ex.cancel()
    expect(ex.cancelling).toBe(true)
    await asked
    await until(() => ex.view !== 'running')
    expect(ex.view).toBe('cancelled')
    expect(ex.cancelling).toBe(false)
    expect(ex.progress?.message).toMatch(/cancelled/)
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([])
  })
})
