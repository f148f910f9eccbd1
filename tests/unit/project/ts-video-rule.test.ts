// Runs in Node (Vitest, real ffmpeg): one rule says which files are videos — the folder picker (fs.list) and
// every way a video joins a project (project.addVideos, the upload check) apply it alike. `.ts` is a video only
// when its first bytes are an MPEG transport stream (sync byte 0x47 at 0, 188 and 376), never TypeScript; the
// other containers go by extension. Also where the picker starts: the open project, else the last one, else
// the home folder, never the server's working folder — across a restart with the same cache folder.
import { mkdirSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readHead } from '../../../src/backend/fs/video-file-check'
import { startsLikeVideo } from '../../../src/backend/project/video-upload'
import { createBackend, type Backend } from '../../../src/backend/services'
import { listFolder } from '../../../src/backend/fs/fs-service'
import { isMpegTsHead, isVideoFile, VIDEO_SNIFF_BYTES } from '@shared/project/video-files'
import { makeTestVideo } from '../../helpers/test-videos'
import { makeVideoTestDir } from '../../helpers/video-test-dir'

const tmp = makeVideoTestDir('ts-rule')
const footage = path.join(tmp.dir, 'footage')
let broadcast: string
let typescript: string
const TYPESCRIPT = "import { defineConfig } from 'vite'\n\nexport default defineConfig({ plugins: [] })\n"

beforeAll(async () => {
  broadcast = await makeTestVideo('start-offset', footage, {
    frames: 12,
    width: 96,
    height: 64,
    name: 'final.ts'
  })
  typescript = path.join(footage, 'vite.config.ts')
  // Longer than the bytes looked at, so the verdict is the content's, not a short file's.
  writeFileSync(typescript, TYPESCRIPT.repeat(20))
  writeFileSync(path.join(footage, 'short.ts'), Buffer.from([0x47, 0, 0]))
  writeFileSync(path.join(footage, 'rally.mkv'), 'by extension, as before')
  writeFileSync(path.join(footage, 'notes.txt'), 'no video')
  mkdirSync(path.join(footage, 'set 2'))
})
afterAll(() => tmp.remove())

describe('the .ts rule', () => {
  it('tells a real MPEG-TS from a TypeScript file by their first bytes', async () => {
    const ts = await readHead(broadcast, VIDEO_SNIFF_BYTES)
    const code = await readHead(typescript, VIDEO_SNIFF_BYTES)
    expect(ts.length).toBe(VIDEO_SNIFF_BYTES)
    expect(isMpegTsHead(ts)).toBe(true)
    expect(isMpegTsHead(code)).toBe(false)
    expect(isVideoFile('final.ts', ts)).toBe(true)
    expect(isVideoFile('vite.config.ts', code)).toBe(false)
    // Other containers by extension, whatever their bytes.
    expect(isVideoFile('rally.mkv', code)).toBe(true)
    expect(isVideoFile('notes.txt', ts)).toBe(false)
    // The upload check takes the stream too, and still refuses TypeScript.
    expect(startsLikeVideo(ts)).toBe(true)
    expect(startsLikeVideo(code)).toBe(false)
  })

  it('lists the stream as a video and vite.config.ts, a too-short .ts and a text file as files', async () => {
    const listing = await listFolder({ dir: footage }, async () => os.homedir())
    expect(listing.entries.map((e) => [e.name, e.kind])).toEqual([
      ['set 2', 'dir'],
      ['final.ts', 'video'],
      ['notes.txt', 'file'],
      ['rally.mkv', 'video'],
      ['short.ts', 'file'],
      ['vite.config.ts', 'file']
    ])
  })
})

describe('the backend: adding videos and where the picker starts', () => {
  const cacheDir = path.join(tmp.dir, 'cache')
  const projectDir = path.join(tmp.dir, 'projet')
  let backend: Backend
  beforeAll(async () => {
    backend = await createBackend({ host: 'cli', version: 'test', cacheDir })
  })
  afterAll(() => backend?.dispose())

  it('starts the picker at home when no project was ever opened, not in the working folder', async () => {
    const listing = await backend.handlers['fs.list']({})
    expect(listing.dir).toBe(os.homedir())
    expect(await backend.handlers['recent.list']({})).toEqual({ projects: [] })
  })

  it('adds the MPEG-TS to a project and refuses the TypeScript file with a reason', async () => {
    await backend.handlers['project.create']({ dir: projectDir, name: 'Projet' })
    await expect(
      backend.handlers['project.addVideos']({ match: 'm1', paths: [typescript], mode: 'reference' })
    ).rejects.toThrow(/vite\.config\.ts is not a video: a \.ts file must be an MPEG transport stream/)
    const { added } = await backend.handlers['project.addVideos']({
      match: 'm1',
      paths: [broadcast],
      mode: 'copy'
    })
    expect(added.map((c) => c.clip)).toEqual(['final'])
    // Nothing of the refused file got in.
    const lib = await backend.handlers['project.library']({})
    expect(lib.matches.flatMap((m) => m.clips.map((c) => c.clip))).toEqual(['final'])
  })

  it('starts the picker at the open project, and after a restart at the last one, listed as recent', async () => {
    expect((await backend.handlers['fs.list']({})).dir).toBe(projectDir)
    await backend.handlers['project.close']({})
    backend.dispose()
    backend = await createBackend({ host: 'cli', version: 'test', cacheDir })
    const { projects } = await backend.handlers['recent.list']({})
    expect(projects).toMatchObject([{ dir: projectDir, name: 'Projet', missing: false }])
    expect((await backend.handlers['fs.list']({})).dir).toBe(projectDir)
    // The list lives in the cache folder the backend was given, nowhere else.
    const stored = JSON.parse(await readFile(path.join(cacheDir, 'recent-projects.json'), 'utf8'))
    expect(stored.projects[0].dir).toBe(projectDir)
    // Forgotten, the picker falls back to home again.
    expect(await backend.handlers['recent.forget']({ dir: projectDir })).toEqual({ projects: [] })
    expect((await backend.handlers['fs.list']({})).dir).toBe(os.homedir())
  })
})
