// Runs in the backend (plain Node): the first-run demo project: one generated match (1280x720, 30 fps, two clips of
// 8 s) in the TrackNet layout. The first clip comes labelled; the second has no label file, so a new user sees
// "Track" label it (its true positions stay in synth.json). Rendered into a temporary folder beside the target
// and renamed into place, so a crash or a second app instance never leaves a half-written demo behind.
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { FfmpegInfo } from '../ffmpeg/locate'
import { clipName, generateMatch } from './match'
import { checkSynthOptions } from './options'

export const DEMO_FOLDER = 'shuttle-studio-demo'
const DEMO_MATCH = 'match_demo'
const DEMO_CLIPS = 2
/** Clips (by index) shipped without their label file: Track has something to show on them. */
const UNLABELLED_CLIPS: ReadonlySet<number> = new Set([1])
const MARKER = 'demo-complete.json'
/** Bump when the demo's content changes, so an old demo is regenerated. */
const DEMO_VERSION = 2

export interface DemoProject {
  projectDir: string
  videos: string[]
}

function expectedFiles(projectDir: string): { videos: string[]; all: string[] } {
  const match = path.join(projectDir, DEMO_MATCH)
  const videos: string[] = []
  const all: string[] = [path.join(match, 'synth.json')]
  for (let c = 0; c < DEMO_CLIPS; c++) {
    const name = clipName(c)
    videos.push(path.join(match, 'video', `${name}.mp4`))
    all.push(path.join(match, 'video', `${name}.mp4`))
    if (!UNLABELLED_CLIPS.has(c)) all.push(labelFile(match, c))
  }
  return { videos, all: [...all] }
}

function labelFile(matchDir: string, clip: number): string {
  return path.join(matchDir, 'csv', `${clipName(clip)}_ball.csv`)
}

async function isComplete(projectDir: string): Promise<boolean> {
  try {
    const marker = JSON.parse(await readFile(path.join(projectDir, MARKER), 'utf8')) as { version?: number }
    if (marker.version !== DEMO_VERSION) return false
  } catch {
    return false
  }
  return expectedFiles(projectDir).all.every((f) => existsSync(f))
}

const inFlight = new Map<string, Promise<DemoProject>>()

/**
 * Makes sure `<dir>/shuttle-studio-demo` holds the demo match and returns it; returns at once when it is already
 * there and complete. Concurrent calls for the same folder share one generation.
 */
export function ensureDemoProject(dir: string, ffmpeg: FfmpegInfo): Promise<DemoProject> {
  const projectDir = path.resolve(dir, DEMO_FOLDER)
  const running = inFlight.get(projectDir)
  if (running) return running
  const job = build(projectDir, ffmpeg).finally(() => inFlight.delete(projectDir))
  inFlight.set(projectDir, job)
  return job
}

async function build(projectDir: string, ffmpeg: FfmpegInfo): Promise<DemoProject> {
  const { videos } = expectedFiles(projectDir)
  if (await isComplete(projectDir)) return { projectDir, videos }
  const parent = path.dirname(projectDir)
  await mkdir(parent, { recursive: true })
  const temp = path.join(parent, `.${DEMO_FOLDER}-tmp-${process.pid}-${randomBytes(4).toString('hex')}`)
  try {
    const opts = checkSynthOptions({
      out: temp,
      match: DEMO_MATCH,
      clips: DEMO_CLIPS,
      seconds: 8,
      width: 1280,
      height: 720,
      fps: 30,
      seed: 2026,
      exposure: 0.5,
      mode: 'broadcast',
      preset: 'veryfast',
      crf: 21
    })
    await generateMatch(opts, ffmpeg.ffmpegPath)
    for (const c of UNLABELLED_CLIPS) await unlink(labelFile(path.join(temp, DEMO_MATCH), c))
    await writeFile(path.join(temp, MARKER), JSON.stringify({ version: DEMO_VERSION }) + '\n')
    // An incomplete leftover (an interrupted older run) is replaced; a complete one made meanwhile by another
    // process wins and our copy is dropped.
    if (existsSync(projectDir)) {
      if (await isComplete(projectDir)) return { projectDir, videos }
      await rm(projectDir, { recursive: true, force: true })
    }
    try {
      await rename(temp, projectDir)
    } catch (err) {
      if (await isComplete(projectDir)) return { projectDir, videos }
      throw err
    }
    return { projectDir, videos }
  } finally {
    await rm(temp, { recursive: true, force: true })
  }
}
