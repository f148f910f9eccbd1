// Runs in vitest (plain Node): shared helpers for the synth tests: temp folders, a frame-hashing sink, small options.
import { createHash } from 'node:crypto'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { FrameSink } from '../../../src/backend/synth/encoder'
import { checkSynthOptions, type SynthOptions } from '../../../src/backend/synth/options'

export function tempDir(tag: string): Promise<string> {
  return mkdtemp(path.join(tmpdir(), `synth-${tag}-`))
}

/** Small and short so the suite stays light on a shared machine. */
export function smallOptions(out: string, over: Partial<SynthOptions> = {}): SynthOptions {
  return checkSynthOptions({
    out,
    match: 'm',
    clips: 1,
    seconds: 1.5,
    width: 320,
    height: 180,
    fps: 30,
    seed: 3,
    exposure: 0.5,
    mode: 'broadcast',
    preset: 'ultrafast',
    crf: 20,
    ...over
  })
}

/** A sink that hashes raw frames instead of encoding them. */
export function hashingSink(): { sink: FrameSink; digest: () => string; frames: () => number } {
  const h = createHash('sha256')
  let n = 0
  return {
    sink: {
      write: async (frame: Buffer) => {
        h.update(frame)
        n++
      },
      close: async () => undefined
    },
    digest: () => h.digest('hex'),
    frames: () => n
  }
}
