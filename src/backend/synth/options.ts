// Runs in the backend (plain Node): the generator's options, validated in one place with messages a person can
// act on (the CLI passes its raw strings here; the demo and tests pass numbers).
import { z } from 'zod'

export const RENDER_MODES = ['broadcast', 'bright-pixel'] as const
export const PRESETS = ['veryfast', 'superfast', 'ultrafast'] as const

export const SynthOptions = z.object({
  out: z.string().min(1, 'the output folder (--out) is required'),
  /** Name of the match folder inside out. */
  match: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'the match name may use letters, digits, "_" and "-" only (at most 64)'),
  clips: z.number().int().min(1).max(999),
  seconds: z
    .number()
    .min(0.1)
    .max(4 * 3600),
  width: z.number().int().min(64).max(7680),
  height: z.number().int().min(64).max(4320),
  fps: z.union([z.literal(30), z.literal(60)]),
  seed: z.number().int().min(0).max(0xffffffff),
  /** Exposure as a share of the frame interval (0.5 = a 180-degree shutter). */
  exposure: z.number().min(0).max(1),
  mode: z.enum(RENDER_MODES),
  preset: z.enum(PRESETS),
  crf: z.number().int().min(0).max(51)
})

export type SynthOptions = z.infer<typeof SynthOptions>

export const DEFAULTS = {
  clips: 1,
  seconds: 10,
  width: 1920,
  height: 1080,
  fps: 30,
  seed: 1,
  exposure: 0.5,
  mode: 'broadcast',
  preset: 'veryfast',
  crf: 20
} as const

export class SynthOptionError extends Error {
  override name = 'SynthOptionError'
}

/** "1920x1080" -> [1920, 1080]; both even, because H.264 in yuv420p needs even sizes. */
export function parseSize(text: string): [number, number] {
  const m = /^(\d{2,5})x(\d{2,5})$/.exec(text.trim())
  if (!m)
    throw new SynthOptionError(`--size must look like 1920x1080 (width x height in pixels), got "${text}"`)
  const w = Number(m[1])
  const h = Number(m[2])
  if (w < 64 || h < 64 || w > 7680 || h > 4320) {
    throw new SynthOptionError(`--size must be between 64x64 and 7680x4320, got "${text}"`)
  }
  if (w % 2 || h % 2)
    throw new SynthOptionError(`--size needs even width and height for H.264, got "${text}"`)
  return [w, h]
}

function parseNumber(name: string, text: string, integer: boolean): number {
  const n = Number(text)
  if (text.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    throw new SynthOptionError(`--${name} must be ${integer ? 'a whole number' : 'a number'}, got "${text}"`)
  }
  return n
}

export interface RawSynthOptions {
  out?: string
  match?: string
  clips?: string
  seconds?: string
  size?: string
  fps?: string
  seed?: string
  exposure?: string
  mode?: string
  preset?: string
  crf?: string
}

/** Turns the command line's strings into checked options, or throws SynthOptionError with a clear message. */
export function parseSynthOptions(raw: RawSynthOptions): SynthOptions {
  if (!raw.out) throw new SynthOptionError('--out DIR is required (the folder the match is written into)')
  const [width, height] = raw.size === undefined ? [DEFAULTS.width, DEFAULTS.height] : parseSize(raw.size)
  const fps = raw.fps === undefined ? DEFAULTS.fps : parseNumber('fps', raw.fps, true)
  if (fps !== 30 && fps !== 60) throw new SynthOptionError(`--fps must be 30 or 60, got "${raw.fps}"`)
  const seed = raw.seed === undefined ? DEFAULTS.seed : parseNumber('seed', raw.seed, true)
  const candidate = {
    out: raw.out,
    match: raw.match ?? `match_s${seed}`,
    clips: raw.clips === undefined ? DEFAULTS.clips : parseNumber('clips', raw.clips, true),
    seconds: raw.seconds === undefined ? DEFAULTS.seconds : parseNumber('seconds', raw.seconds, false),
    width,
    height,
    fps,
    seed,
    exposure: raw.exposure === undefined ? DEFAULTS.exposure : parseNumber('exposure', raw.exposure, false),
    mode: raw.mode ?? DEFAULTS.mode,
    preset: raw.preset ?? DEFAULTS.preset,
    crf: raw.crf === undefined ? DEFAULTS.crf : parseNumber('crf', raw.crf, true)
  }
  return checkSynthOptions(candidate)
}

/** Validates a full options object (numbers already parsed). */
export function checkSynthOptions(candidate: unknown): SynthOptions {
  const r = SynthOptions.safeParse(candidate)
  if (!r.success) {
    const msg = r.error.issues
      .map((i) => (i.path.length ? `--${i.path.map(String).join('.')}: ${i.message}` : i.message))
      .join('; ')
    throw new SynthOptionError(msg)
  }
  return r.data
}
