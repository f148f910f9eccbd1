// Runs in vitest (plain Node): the synth command's argument checks, through commander as the CLI wires it (no
// subprocess), and one tiny real run.
import { existsSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import path from 'node:path'
import { Command } from 'commander'
import { afterAll, describe, expect, it } from 'vitest'
import { registerSynth, runSynth } from '../../../src/cli/commands/synth'
import { parseSize } from '../../../src/backend/synth/options'
import { tempDir } from './helpers'

function program(): Command {
  const p = new Command()
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: () => undefined })
  registerSynth(p)
  return p
}

function synth(...args: string[]): Promise<Command> {
  return program().parseAsync(['node', 'shuttle-studio', 'synth', ...args])
}

const dirs: string[] = []
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true })
})

describe('shuttle-studio synth arguments', () => {
  it('refuses --fps 25 with a clear message', async () => {
    await expect(synth('--out', 'x', '--fps', '25')).rejects.toThrow('--fps must be 30 or 60, got "25"')
  })

  it('refuses a malformed or odd --size', async () => {
    await expect(synth('--out', 'x', '--size', '1920*1080')).rejects.toThrow(
      /--size must look like 1920x1080/
    )
    await expect(synth('--out', 'x', '--size', 'big')).rejects.toThrow(/--size must look like/)
    await expect(synth('--out', 'x', '--size', '641x360')).rejects.toThrow(/even width and height/)
    await expect(synth('--out', 'x', '--size', '32x32')).rejects.toThrow(/between 64x64 and 7680x4320/)
    expect(parseSize('1280x720')).toEqual([1280, 720])
  })

  it('refuses bad numbers for clips, seconds, seed and exposure, and an unknown mode', async () => {
    await expect(synth('--out', 'x', '--clips', '0')).rejects.toThrow(/--clips/)
    await expect(synth('--out', 'x', '--clips', '1.5')).rejects.toThrow(/--clips must be a whole number/)
    await expect(synth('--out', 'x', '--seconds', 'ten')).rejects.toThrow(/--seconds must be a number/)
    await expect(synth('--out', 'x', '--seed', '-1')).rejects.toThrow(/--seed/)
    await expect(synth('--out', 'x', '--exposure', '2')).rejects.toThrow(/--exposure/)
    await expect(synth('--out', 'x', '--mode', 'cartoon')).rejects.toThrow(/--mode/)
    await expect(synth('--out', 'x', '--match', '../evil')).rejects.toThrow(/match name/)
  })

  it('requires --out', async () => {
    await expect(synth('--clips', '1')).rejects.toThrow(/--out/)
  })

  it('writes the TrackNet layout for a tiny valid run', async () => {
    const out = await tempDir('cli')
    dirs.push(out)
    const lines: string[] = []
    const r = await runSynth(
      { out, size: '320x180', seconds: '1', seed: '12', preset: 'ultrafast' },
      { progress: false, log: (l) => lines.push(l) }
    )
    const match = path.join(out, 'match_s12')
    expect(r.matchDir).toBe(match)
    expect(existsSync(path.join(match, 'video', 'clip_01.mp4'))).toBe(true)
    expect(existsSync(path.join(match, 'csv', 'clip_01_ball.csv'))).toBe(true)
    expect(existsSync(path.join(match, 'synth.json'))).toBe(true)
    expect(lines.join('\n')).toMatch(/wrote 1 clip/)
  }, 60_000)
})
