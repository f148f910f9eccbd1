// Runs in the backend (plain Node): writes one synthetic match in the TrackNet layout:
//   <out>/<match>/video/<clip>.mp4, <out>/<match>/csv/<clip>_ball.csv and <out>/<match>/synth.json (the truth).
// Frames stream through a small buffer pool into ffmpeg; only per-frame label values grow with the clip length.
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { cornersInImage, floorHomography, type Camera } from './camera'
import {
  COURT_HALF_LENGTH,
  COURT_HALF_WIDTH,
  courtCorners,
  NET_HEIGHT_CENTRE,
  NET_HEIGHT_POSTS
} from './court'
import { ffmpegSink, type FrameSink } from './encoder'
import { ClipRenderer } from './frame'
import { CsvWriter, csvRow } from './labels'
import type { SynthOptions } from './options'
import { DRAG_K, GRAVITY, STEP_S, TERMINAL_VELOCITY } from './physics'
import { Rng } from './prng'
import { planClip } from './rally'
import { buildScene, STREAM, type Scene } from './scene'
import { makeShake } from './shake'

export interface GenerateHooks {
  /** Called after every frame with frames done and frames in all clips. */
  onProgress?: (done: number, total: number) => void
  /** Replaces the ffmpeg encoder, e.g. to hash raw frames in tests. */
  sinkFor?: (clip: string) => FrameSink
}

export interface ClipResult {
  name: string
  video: string
  csv: string
  frames: number
  visibleFrames: number
}

export interface MatchResult {
  matchDir: string
  synthJson: string
  clips: ClipResult[]
}

const POOL = 3

const r4 = (x: number): number => Math.round(x * 1e4) / 1e4
const r3 = (x: number): number => Math.round(x * 1e3) / 1e3

export function clipName(index: number): string {
  return `clip_${String(index + 1).padStart(2, '0')}`
}

function cameraJson(cam: Camera): Record<string, unknown> {
  const R = cam.R
  const C = cam.position
  const t = [0, 1, 2].map((i) => -(R[i * 3]! * C[0] + R[i * 3 + 1]! * C[1] + R[i * 3 + 2]! * C[2]))
  const K = [cam.f, 0, cam.cx, 0, cam.f, cam.cy, 0, 0, 1]
  const P: number[] = []
  for (let row = 0; row < 3; row++) {
    for (let col = 0; col < 4; col++) {
      let s = 0
      for (let k = 0; k < 3; k++) s += K[row * 3 + k]! * (col < 3 ? R[k * 3 + col]! : t[k]!)
      P.push(s)
    }
  }
  return {
    model: 'pinhole, no distortion; pixel centres at integer coordinates, origin top-left',
    position: C.map(r4),
    rotationWorldToCamera: R.map((x) => Math.round(x * 1e9) / 1e9),
    focalPx: r4(cam.f),
    principalPoint: [cam.cx, cam.cy],
    K: K.map(r4),
    projection3x4: P.map((x) => Math.round(x * 1e6) / 1e6),
    homographyCourtToImage: floorHomography(cam).map((x) => Math.round(x * 1e9) / 1e9),
    courtCornersImage: cornersInImage(cam).map(([u, v]) => [r3(u), r3(v)]),
    shakeNote: 'each frame adds an integer offset (clips[].perFrame.shakeX/Y) to these image coordinates'
  }
}

async function renderClip(
  opts: SynthOptions,
  scene: Scene,
  index: number,
  sink: FrameSink,
  progress: (k: number) => void,
  csvPath: string
): Promise<{ json: Record<string, unknown>; visible: number }> {
  const frames = Math.max(1, Math.round(opts.seconds * opts.fps))
  const plan = planClip(new Rng(opts.seed, STREAM.clipPlan + index), frames / opts.fps)
  const shake = makeShake(new Rng(opts.seed, STREAM.clipShake + index), scene.shakeAmplitude)
  const renderer = new ClipRenderer({
    cam: scene.cam,
    venue: scene.venue,
    plan,
    fps: opts.fps,
    exposure: opts.exposure / opts.fps,
    mode: opts.mode,
    background: scene.background,
    net: scene.net,
    netMargin: scene.margin,
    shake,
    rng: new Rng(opts.seed, STREAM.clipFrames + index)
  })
  const bytes = opts.width * opts.height * 3
  const pool = Array.from({ length: POOL }, () => Buffer.alloc(bytes))
  const pending: Promise<void>[] = Array.from({ length: POOL }, () => Promise.resolve())
  // Per-frame truth in typed arrays (a few bytes per frame) so an hour at 60 fps stays small; the CSV streams out.
  const csv = new CsvWriter(csvPath)
  const position = new Float64Array(frames * 3).fill(NaN)
  const vis = new Uint8Array(frames)
  const occ = new Uint8Array(frames)
  const speed = new Float32Array(frames)
  const shakeX = new Int16Array(frames)
  const shakeY = new Int16Array(frames)
  let visible = 0
  try {
    for (let k = 0; k < frames; k++) {
      const slot = k % POOL
      // Backpressure: wait until ffmpeg has taken this buffer's previous frame before drawing over it.
      await pending[slot]
      const truth = renderer.render(k, pool[slot]!)
      const written = sink.write(pool[slot]!)
      // Awaited later (or by Promise.all); marked handled now so an early ffmpeg failure is reported once, not as
      // several unhandled rejections from the other buffers in flight.
      written.catch(() => undefined)
      pending[slot] = written
      await csv.row(csvRow(k, truth.visible, truth.x, truth.y))
      if (truth.visible) visible++
      if (truth.position) position.set(truth.position, k * 3)
      vis[k] = truth.visible ? 1 : 0
      occ[k] = Math.round(truth.occlusion * 100)
      speed[k] = truth.speedKmh
      shakeX[k] = truth.shake[0]
      shakeY[k] = truth.shake[1]
      progress(k + 1)
    }
    await Promise.all(pending)
  } catch (err) {
    // Stop the encoder too; the first failure is the one worth reporting.
    await sink.close().catch(() => undefined)
    await csv.close().catch(() => undefined)
    throw err
  }
  await sink.close()
  await csv.close()
  const frameOf = (t: number): number => Math.min(frames - 1, Math.round(t * opts.fps))
  const json = {
    name: clipName(index),
    frames,
    durationSeconds: frames / opts.fps,
    hits: plan.hits
      .filter((h) => frameOf(h.t) < frames && h.t < frames / opts.fps)
      .map((h) => ({
        frame: frameOf(h.t),
        time: r4(h.t),
        player: h.player === 0 ? 'near' : 'far',
        shot: h.shot,
        speedKmh: Math.round(h.speedKmh * 10) / 10,
        contact: h.contact.map(r4)
      })),
    landings: plan.landings
      .filter((l) => l.t < frames / opts.fps)
      .map((l) => ({ frame: frameOf(l.t), time: r4(l.t), position: l.pos.map(r4) })),
    perFrame: {
      position: Array.from({ length: frames }, (_, k) =>
        Number.isNaN(position[k * 3]!) ? null : [0, 1, 2].map((i) => r4(position[k * 3 + i]!))
      ),
      speedKmh: Array.from(speed, (v) => Math.round(v * 10) / 10),
      visible: Array.from(vis),
      occlusion: Array.from(occ, (v) => v / 100),
      shakeX: Array.from(shakeX),
      shakeY: Array.from(shakeY)
    }
  }
  return { json, visible }
}

/** Generates a whole match; ffmpegPath may be null only when hooks.sinkFor replaces the encoder. */
export async function generateMatch(
  opts: SynthOptions,
  ffmpegPath: string | null,
  hooks: GenerateHooks = {}
): Promise<MatchResult> {
  const matchDir = path.join(opts.out, opts.match)
  await mkdir(path.join(matchDir, 'video'), { recursive: true })
  await mkdir(path.join(matchDir, 'csv'), { recursive: true })
  const scene = buildScene(opts.seed, opts.width, opts.height, opts.mode)
  const framesPerClip = Math.max(1, Math.round(opts.seconds * opts.fps))
  const total = framesPerClip * opts.clips
  const clips: ClipResult[] = []
  const clipJson: Record<string, unknown>[] = []
  for (let c = 0; c < opts.clips; c++) {
    const name = clipName(c)
    const video = path.join(matchDir, 'video', `${name}.mp4`)
    const csv = path.join(matchDir, 'csv', `${name}_ball.csv`)
    let sink: FrameSink
    if (hooks.sinkFor) sink = hooks.sinkFor(name)
    else if (ffmpegPath) {
      sink = ffmpegSink({
        ffmpegPath,
        width: opts.width,
        height: opts.height,
        fps: opts.fps,
        out: video,
        preset: opts.preset,
        // The single-pixel mode must survive compression; spend bits on it (black frames cost almost nothing).
        crf: opts.mode === 'bright-pixel' ? Math.min(opts.crf, 10) : opts.crf
      })
    } else throw new Error('generateMatch needs ffmpeg (or a frame sink)')
    const done = c * framesPerClip
    const r = await renderClip(opts, scene, c, sink, (k) => hooks.onProgress?.(done + k, total), csv)
    clips.push({ name, video, csv, frames: framesPerClip, visibleFrames: r.visible })
    clipJson.push({ ...r.json, video: `video/${name}.mp4`, csv: `csv/${name}_ball.csv` })
  }
  const synth = {
    format: 'shuttle-studio-synth',
    version: 1,
    seed: opts.seed,
    size: { width: opts.width, height: opts.height },
    fps: opts.fps,
    exposureSeconds: r4(opts.exposure / opts.fps),
    mode: opts.mode,
    units: 'court coordinates in metres: x across the court, y along it (net at y=0, camera side y<0), z up',
    labelRule:
      'label = pinhole projection of the shuttle centre at the frame time plus the frame shake; visible when the ' +
      'label lies inside the frame and at most half of 9 exposure-time samples of the centre are hidden by a ' +
      'nearer player (body, legs, arms, head; not the racket strings) or, beyond the net, by the tape or a post',
    physics: {
      gravity: GRAVITY,
      terminalVelocity: TERMINAL_VELOCITY,
      dragK: r4(DRAG_K),
      integrator: 'rk4',
      stepSeconds: STEP_S
    },
    court: {
      halfLength: COURT_HALF_LENGTH,
      halfWidth: COURT_HALF_WIDTH,
      netHeightPosts: NET_HEIGHT_POSTS,
      netHeightCentre: NET_HEIGHT_CENTRE,
      corners: courtCorners()
    },
    camera: cameraJson(scene.cam),
    venue: {
      floor: scene.venue.name,
      light: r4(scene.venue.light),
      noiseSd: r4(scene.venue.noise),
      shakeAmplitudePx: r4(scene.shakeAmplitude)
    },
    clips: clipJson
  }
  const synthJson = path.join(matchDir, 'synth.json')
  await writeFile(synthJson, JSON.stringify(synth) + '\n')
  return { matchDir, synthJson, clips }
}
