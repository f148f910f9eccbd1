// Runs in plain Node (the command line): `shuttle-studio synth` writes a synthetic broadcast match (videos, TrackNet
// label files and synth.json with the full truth) for testing trackers whose answers are known exactly.
import { SingleBar, Presets } from 'cli-progress'
import type { Command } from 'commander'
import { locateFfmpeg } from '../../backend/ffmpeg/locate'
import { generateMatch, type MatchResult } from '../../backend/synth/match'
import { parseSynthOptions, PRESETS, RENDER_MODES, type RawSynthOptions } from '../../backend/synth/options'

export interface SynthCommandIo {
  /** Whether to draw a progress bar (off in tests and when output is not a terminal). */
  progress: boolean
  log: (line: string) => void
}

/** The command's work, callable without a subprocess: validates, finds ffmpeg, generates, reports. */
export async function runSynth(raw: RawSynthOptions, io: SynthCommandIo): Promise<MatchResult> {
  const opts = parseSynthOptions(raw)
  const ffmpeg = await locateFfmpeg()
  const bar = io.progress
    ? new SingleBar(
        { format: 'synth [{bar}] {percentage}% | {value}/{total} frames | {eta_formatted} left' },
        Presets.shades_classic
      )
    : null
  const started = Date.now()
  let barStarted = false
  try {
    const result = await generateMatch(opts, ffmpeg.ffmpegPath, {
      onProgress: (done, total) => {
        if (!bar) return
        if (!barStarted) {
          bar.start(total, 0)
          barStarted = true
        }
        // Redrawing every frame is wasted work at 60 fps; cli-progress throttles, but skip the calls too.
        if (done === total || done % 10 === 0) bar.update(done)
      }
    })
    bar?.stop()
    const secs = ((Date.now() - started) / 1000).toFixed(1)
    io.log(`wrote ${result.clips.length} clip(s) to ${result.matchDir} in ${secs} s`)
    for (const c of result.clips)
      io.log(`  ${c.video}  (${c.frames} frames, shuttle visible in ${c.visibleFrames})`)
    io.log(`  truth: ${result.synthJson}`)
    return result
  } catch (err) {
    bar?.stop()
    throw err
  }
}

export function registerSynth(program: Command): void {
  program
    .command('synth')
    .description('Generate synthetic broadcast badminton clips with exact shuttle labels (TrackNet layout)')
    .requiredOption('--out <dir>', 'folder to write the match folder into')
    .option('--match <name>', 'match folder name (default match_s<seed>)')
    .option('--clips <n>', 'number of clips', '1')
    .option('--seconds <s>', 'length of each clip in seconds', '10')
    .option('--size <WxH>', 'frame size, even numbers', '1920x1080')
    .option('--fps <30|60>', 'frame rate', '30')
    .option('--seed <k>', 'random seed (same seed, same labels and frames)', '1')
    .option(
      '--exposure <share>',
      'exposure as a share of the frame interval, 0-1 (motion blur length)',
      '0.5'
    )
    .option('--mode <mode>', `render mode: ${RENDER_MODES.join(' | ')}`, 'broadcast')
    .option('--preset <preset>', `x264 preset: ${PRESETS.join(' | ')}`, 'veryfast')
    .option('--crf <n>', 'x264 quality (lower is better)', '20')
    .option('--no-progress', 'do not draw a progress bar')
    .action(async (raw: RawSynthOptions & { progress?: boolean }) => {
      const { progress, ...rest } = raw
      await runSynth(rest, {
        progress: progress !== false && Boolean(process.stderr.isTTY),
        log: console.log
      })
    })
}
