// Runs in plain Node (the command line): `shuttle-studio renumber ROOT --out DIR` — labels made with a tool
// that seeks with OpenCV (TrackNet's labelling tool, cv2 scripts) moved onto the frames they were drawn on,
// into a copy of ROOT (backend/dataset/renumber-root.ts). On a video without dropped frames nothing moves; on
// one with them (phones, lab cameras) such labels lead the pictures by up to tens of frames.
// Exit codes: 0 every labelled clip written, 1 some clips left out (listed), 2 bad arguments.
import { stat } from 'node:fs/promises'
import type { Command } from 'commander'
import { locateFfmpeg } from '../../backend/ffmpeg/locate'
import { renumberRoot, type RenumberResult } from '../../backend/dataset/renumber-root'
import { textTable } from '../text-table'

export const EXIT_OK = 0
export const EXIT_PROBLEMS = 1
export const EXIT_BAD_ARGS = 2

export interface RenumberOptions {
  out?: string
  from?: string
}

export interface RenumberIo {
  out: (text: string) => void
  err: (text: string) => void
  /** Where ffprobe is; default locateFfmpeg(). */
  ffprobe?: () => Promise<string>
}

const consoleIo: RenumberIo = { out: (t) => console.log(t), err: (t) => console.error(t) }

/** The conventions a label file's frame numbers may follow; "opencv" is the one this command converts from. */
const FROM = ['opencv'] as const

function table(r: RenumberResult): string {
  const head = [
    'clip',
    'frames',
    'dropped',
    'labels',
    'moved',
    'max shift',
    'past end',
    'same picture',
    'video'
  ]
  const rows = r.clips.map((c) => [
    c.name,
    String(c.frames),
    String(c.droppedFrames),
    String(c.labels),
    String(c.moved),
    c.maxShift > 0 ? `+${c.maxShift}` : String(c.maxShift),
    String(c.pastEnd),
    String(c.duplicates),
    c.video
  ])
  return textTable(head, rows)
}

export async function runRenumber(
  root: string | undefined,
  o: RenumberOptions,
  io: RenumberIo = consoleIo
): Promise<number> {
  const bad = (m: string): number => {
    io.err(`shuttle-studio renumber: ${m}`)
    return EXIT_BAD_ARGS
  }
  if (!root) return bad('missing ROOT: the TrackNet-layout folder (<match>/video, <match>/csv) to read.')
  if (!o.out) return bad('missing --out DIR: where the renumbered copy goes (ROOT is never written to).')
  const from = o.from ?? 'opencv'
  if (!(FROM as readonly string[]).includes(from)) {
    return bad(`--from takes ${FROM.join(', ')}, not "${from}".`)
  }
  if (!(await stat(root).catch(() => null))?.isDirectory()) return bad(`${root} is not a folder.`)
  let result: RenumberResult
  try {
    const ffprobe = io.ffprobe ? await io.ffprobe() : (await locateFfmpeg()).ffprobePath
    result = await renumberRoot(root, o.out, ffprobe)
  } catch (e) {
    return bad((e as Error).message)
  }
  if (result.clips.length) {
    io.out(table(result))
    io.out(
      '\nmoved: labels now on another frame; max shift: frames from the number written to the picture it ' +
        'showed in OpenCV; past end and same picture: labels dropped (OpenCV showed no picture, or one ' +
        'another label has).'
    )
  }
  for (const c of result.clips.filter((k) => k.bFrames && k.moved > 0)) {
    io.err(
      `note: ${c.name}: its stream has B-frames, with which OpenCV's seek now and then lands a few frames ` +
        'from where this replay puts it: check a few labels in the studio.'
    )
  }
  for (const p of result.problems) io.err(`warning: ${p}`)
  return result.problems.length ? EXIT_PROBLEMS : EXIT_OK
}

export function registerRenumber(program: Command): void {
  program
    .command('renumber')
    .description(
      'Move labels numbered by OpenCV seeking (TrackNet labelling tool) onto the frames they show, into a copy'
    )
    .argument(
      '[root]',
      'TrackNet-layout folder: ROOT/<match>/video/<clip>.mp4 + ROOT/<match>/csv/<clip>_ball.csv'
    )
    .option('--out <dir>', 'the copy: labels rewritten, videos hard-linked (copied across disks)')
    .option('--from <convention>', 'how the labels number frames: opencv (cv2 CAP_PROP_POS_FRAMES)', 'opencv')
    .exitOverride((err) => process.exit(err.exitCode === 0 ? EXIT_OK : EXIT_BAD_ARGS))
    .action(async (root: string | undefined, o: RenumberOptions) => {
      process.exitCode = await runRenumber(root, o)
    })
}
