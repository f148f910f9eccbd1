// Runs in vitest (plain Node): label exactness. In the bright-pixel mode every visible label must sit within half
// a pixel of the brightest pixel of the decoded frame; the CSV format is checked; and the labels must equal the
// exported projection applied to the exported 3-D positions plus the shake.
import { execFile } from 'node:child_process'
import { readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { locateFfmpeg } from '../../../src/backend/ffmpeg/locate'
import { CSV_HEADER, csvRow, parseLabels } from '../../../src/backend/synth/labels'
import { generateMatch } from '../../../src/backend/synth/match'
import { smallOptions, tempDir } from './helpers'

const run = promisify(execFile)
const W = 320
const H = 180
let out = ''
let ffmpegPath = ''

beforeAll(async () => {
  ffmpegPath = (await locateFfmpeg()).ffmpegPath
  out = await tempDir('labels')
  await generateMatch(smallOptions(out, { seed: 9, seconds: 2, mode: 'bright-pixel' }), ffmpegPath)
}, 60_000)

afterAll(async () => {
  await rm(out, { recursive: true, force: true })
})

describe('label file format', () => {
  it('writes Frame,Visibility,X,Y with three decimals, and 0,0,0 when invisible', () => {
    expect(CSV_HEADER).toBe('Frame,Visibility,X,Y')
    expect(csvRow(4, true, 12.34567, 8)).toBe('4,1,12.346,8.000')
    expect(csvRow(5, false, 12.3, 8)).toBe('5,0,0,0')
  })

  it('has one row per frame, numbered from 0, every row well formed', async () => {
    const text = await readFile(path.join(out, 'm', 'csv', 'clip_01_ball.csv'), 'utf8')
    const lines = text.trimEnd().split('\n')
    expect(lines[0]).toBe(CSV_HEADER)
    expect(lines.length - 1).toBe(60)
    lines.slice(1).forEach((line, i) => {
      expect(line).toMatch(new RegExp(`^${i},(0,0,0|1,\\d+\\.\\d{3},\\d+\\.\\d{3})$`))
    })
  })
})

describe('label exactness', () => {
  it('puts every visible label within 0.5 px of the brightest decoded pixel (bright-pixel mode)', async () => {
    const labels = parseLabels(await readFile(path.join(out, 'm', 'csv', 'clip_01_ball.csv'), 'utf8'))
    const video = path.join(out, 'm', 'video', 'clip_01.mp4')
    const { stdout } = await run(
      ffmpegPath,
      ['-v', 'error', '-i', video, '-f', 'rawvideo', '-pix_fmt', 'gray', '-'],
      {
        encoding: 'buffer',
        maxBuffer: 64 * 1024 * 1024
      }
    )
    expect(stdout.length).toBe(W * H * labels.length)
    let checked = 0
    for (const l of labels) {
      const frame = stdout.subarray(l.frame * W * H, (l.frame + 1) * W * H)
      let best = -1
      let bi = 0
      for (let i = 0; i < frame.length; i++) {
        if (frame[i]! > best) {
          best = frame[i]!
          bi = i
        }
      }
      if (l.visible) {
        expect(best).toBeGreaterThan(80)
        expect(Math.abs((bi % W) - l.x)).toBeLessThanOrEqual(0.5)
        expect(Math.abs(Math.floor(bi / W) - l.y)).toBeLessThanOrEqual(0.5)
        checked++
      } else {
        expect(best).toBeLessThan(40)
      }
    }
    expect(checked).toBeGreaterThan(15)
  }, 60_000)

  it('equals the exported 3x4 projection of the exported positions plus the frame shake', async () => {
    const synth = JSON.parse(await readFile(path.join(out, 'm', 'synth.json'), 'utf8')) as {
      camera: { projection3x4: number[] }
      clips: {
        perFrame: { position: ([number, number, number] | null)[]; shakeX: number[]; shakeY: number[] }
      }[]
    }
    const labels = parseLabels(await readFile(path.join(out, 'm', 'csv', 'clip_01_ball.csv'), 'utf8'))
    const P = synth.camera.projection3x4
    const pf = synth.clips[0]!.perFrame
    for (const l of labels) {
      if (!l.visible) continue
      const [x, y, z] = pf.position[l.frame]!
      const w = P[8]! * x + P[9]! * y + P[10]! * z + P[11]!
      const u = (P[0]! * x + P[1]! * y + P[2]! * z + P[3]!) / w + pf.shakeX[l.frame]!
      const v = (P[4]! * x + P[5]! * y + P[6]! * z + P[7]!) / w + pf.shakeY[l.frame]!
      // Positions are exported to 0.1 mm, labels to 0.001 px: agreement to a hundredth of a pixel.
      expect(Math.abs(u - l.x)).toBeLessThan(0.01)
      expect(Math.abs(v - l.y)).toBeLessThan(0.01)
    }
  })
})
