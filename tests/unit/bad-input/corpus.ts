// Runs in Node (Vitest): the bad-input corpus, generated at test time in a temporary folder — videos made by
// the real ffmpeg (small: 64×48, a few frames) and broken on purpose, label files with every mistake met in
// the wild, and models that are not models. Every file is made here; nothing is downloaded or checked in.
import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** A deterministic byte stream (xorshift32), so "random bytes" are the same on every run. */
export function pseudoRandomBytes(n: number, seed = 0x9e3779b9): Buffer {
  const b = Buffer.alloc(n)
  let x = seed >>> 0
  for (let i = 0; i < n; i++) {
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    b[i] = x & 0xff
  }
  return b
}

async function ffmpeg(bin: string, args: string[]): Promise<void> {
  await run(bin, ['-v', 'error', '-y', ...args])
}

const H264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p']

/** testsrc at SIZE and RATE for FRAMES frames, H.264 unless `codec` says otherwise. */
function lavfi(size: string, rate: string, frames: number, codec = H264): string[] {
  return ['-f', 'lavfi', '-i', `testsrc=s=${size}:r=${rate}`, '-frames:v', String(frames), ...codec]
}

export interface VideoCorpus {
  good: string
  /** 30 frames, the index at the front (faststart), so its middle can be broken. */
  longer: string
  empty: string
  text: string
  random: string
  truncated: string
  corruptMiddle: string
  audioOnly: string
  oneFrame: string
  rotated: string
  oddSize: string
  oddRate: string
  ntsc: string
  /** A good clip in a folder and under a name with spaces and non-Latin letters. */
  unicode: string
}

export async function makeVideos(dir: string, ffmpegBin: string): Promise<VideoCorpus> {
  const v = (name: string): string => path.join(dir, name)
  mkdirSync(dir, { recursive: true })
  const c: VideoCorpus = {
    good: v('good.mp4'),
    longer: v('longer.mp4'),
    empty: v('empty.mp4'),
    text: v('text.mp4'),
    random: v('random.mp4'),
    truncated: v('truncated.mp4'),
    corruptMiddle: v('corrupt-middle.mp4'),
    audioOnly: v('audio-only.mp4'),
    oneFrame: v('one-frame.mp4'),
    rotated: v('rotated.mp4'),
    oddSize: v('odd-size.mp4'),
    oddRate: v('odd-rate.mp4'),
    ntsc: v('ntsc.mp4'),
    unicode: path.join(dir, 'folder with spaces ñ 中文', 'clip éà 試合 1.mp4')
  }
  await Promise.all([
    ffmpeg(ffmpegBin, [...lavfi('64x48', '30', 6), c.good]),
    ffmpeg(ffmpegBin, [...lavfi('64x48', '30', 30), '-g', '5', '-movflags', '+faststart', c.longer]),
    ffmpeg(ffmpegBin, [...lavfi('64x48', '30', 1), c.oneFrame]),
    ffmpeg(ffmpegBin, [...lavfi('64x48', '30', 6), '-metadata:s:v:0', 'rotate=90', c.rotated]),
    // Odd width and height: 4:4:4, as 4:2:0 needs even sizes.
    ffmpeg(ffmpegBin, [...lavfi('65x49', '30', 6, ['-c:v', 'libx264', '-pix_fmt', 'yuv444p']), c.oddSize]),
    ffmpeg(ffmpegBin, [...lavfi('64x48', '7', 6), c.oddRate]),
    ffmpeg(ffmpegBin, [...lavfi('64x48', '30000/1001', 6), c.ntsc]),
    ffmpeg(ffmpegBin, ['-f', 'lavfi', '-i', 'sine=d=0.3', '-c:a', 'aac', c.audioOnly])
  ])
  writeFileSync(c.empty, '')
  writeFileSync(c.text, 'This is a text file with a video name.\n'.repeat(50))
  writeFileSync(c.random, pseudoRandomBytes(8192))
  const good = readFileSync(c.good)
  // The index (moov) is at the end without faststart: half the file has frames but no index.
  writeFileSync(c.truncated, good.subarray(0, Math.floor(good.length / 2)))
  const longer = Buffer.from(readFileSync(c.longer))
  // Garbage over the middle third of the frames' data; the index still lists every frame.
  const from = Math.floor(longer.length * 0.4)
  pseudoRandomBytes(Math.floor(longer.length * 0.3), 7).copy(longer, from)
  writeFileSync(c.corruptMiddle, longer)
  mkdirSync(path.dirname(c.unicode), { recursive: true })
  writeFileSync(c.unicode, good)
  return c
}

/** Labels for the good clip (6 frames, 64×48): visible on even frames. Line n+2 is frame n. */
export function goodLabels(frames = 6): string[] {
  const rows = ['Frame,Visibility,X,Y']
  for (let i = 0; i < frames; i++) rows.push(i % 2 ? `${i},0,0,0` : `${i},1,${10 + 5 * i},20`)
  return rows
}

export function goodPredictions(frames = 6): string {
  const rows = ['Frame,Visibility,X,Y,Confidence']
  for (let i = 0; i < frames; i++) rows.push(i % 2 ? `${i},0,0,0,0.1` : `${i},1,${10 + 5 * i},20,0.9`)
  return rows.join('\n') + '\n'
}

/** Replaces line `line` (1-based, the header is 1) of the good labels. */
function withLine(line: number, text: string): string {
  const rows = goodLabels()
  rows[line - 1] = text
  return rows.join('\n') + '\n'
}

/** Every broken label file, by name. Line 4 is frame 2, a visible frame. */
export const LABEL_FILES: Record<string, string | Buffer> = {
  good: goodLabels().join('\n') + '\n',
  empty: '',
  'header-only': 'Frame,Visibility,X,Y\n',
  'wrong-columns': 'time,ball,left,top\n0,1,10,20\n1,1,15,20\n',
  'missing-column': withLine(4, '2,1,20'),
  nan: withLine(4, '2,1,NaN,20'),
  inf: withLine(4, '2,1,Infinity,20'),
  huge: withLine(4, '2,1,1e12,20'),
  negative: withLine(4, '2,1,-7,20'),
  'off-frame': withLine(4, '2,1,64,20'),
  'frame-not-number': withLine(4, 'two,1,20,20'),
  'bom-crlf': '\ufeff' + goodLabels().join('\r\n') + '\r\n',
  duplicate: goodLabels().concat(['2,1,20,20']).join('\n') + '\n',
  missing:
    goodLabels()
      .filter((_, i) => i !== 3)
      .join('\n') + '\n',
  unsorted: [goodLabels()[0], ...goodLabels().slice(1).reverse()].join('\n') + '\n',
  random: pseudoRandomBytes(2048, 11),
  'normalised-over-1': 'Frame,Ball,x,y\n0,1,0.5,0.5\n1,0,0,0\n2,1,3.5,0.5\n3,0,0,0\n4,1,0.7,0.5\n5,0,0,0\n'
}
