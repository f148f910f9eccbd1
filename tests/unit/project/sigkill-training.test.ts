// Runs in Node (Vitest): the studio's side of a training job when its export goes wrong. The Python it is given
// is a stand-in shell script (so these run where PyTorch is not installed; the real package is exercised by
// tests/unit/training): "training" leaves a checkpoint, "export" writes the model file and then either kills the
// studio with SIGKILL (before the studio learns how the export ended) or fails as a parity check does. Either
// way the models folder, which the tracker lists, must hold no model.
import { chmod, mkdir, readdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { EventBus } from '../../../src/backend/rpc/event-bus'
import { defaultTrainingPackageDir, TrainingService } from '../../../src/backend/training/training-service'
import { crashAt } from './crash-run'
import { tempDir } from './helpers'

let tmp: Awaited<ReturnType<typeof tempDir>> | null = null
afterEach(async () => {
  await tmp?.done()
})

/** A Python stand-in whose export writes its --out file and then runs `after` (a shell command). */
async function standInPython(dir: string, after: string): Promise<string> {
  const file = path.join(dir, 'python-stand-in.sh')
  const script = [
    '#!/bin/sh',
    'if [ "$1" = "-c" ]; then echo "0.0-stand-in"; exit 0; fi',
    'mod="$2"; out=""',
    'while [ $# -gt 0 ]; do if [ "$1" = "--out" ]; then out="$2"; fi; shift; done',
    'if [ "$mod" = "shuttle_training.train" ]; then mkdir -p "$out" && printf checkpoint > "$out/last.pt"; exit 0; fi',
    `if [ "$mod" = "shuttle_training.export" ]; then printf onnx > "$out"; ${after}; fi`,
    'exit 2'
  ]
  await writeFile(file, script.join('\n') + '\n')
  await chmod(file, 0o755)
  return file
}

async function setup(): Promise<{ project: string; runs: string; models: string; dir: string }> {
  tmp = await tempDir('studio-training-')
  const project = path.join(tmp.dir, 'project')
  await mkdir(path.join(project, 'm', 'csv'), { recursive: true })
  await writeFile(path.join(project, 'm', 'csv', 'a_ball.csv'), 'Frame,Visibility,X,Y\n0,1,10,10\n')
  return { project, runs: path.join(tmp.dir, 'runs'), models: path.join(tmp.dir, 'models'), dir: tmp.dir }
}

const models = async (dir: string): Promise<string[]> =>
  (await readdir(dir).catch(() => [] as string[])).filter((f) => f.toLowerCase().endsWith('.onnx'))

describe.skipIf(process.platform === 'win32')('training export', () => {
  it('SIGKILL while the model is exported leaves no model where the tracker looks', async () => {
    const t = await setup()
    const python = await standInPython(t.dir, 'kill -9 $PPID')
    const run = await crashAt('train', [t.project, t.runs, t.models, python], null)
    expect(run.signal, run.stderr).toBe('SIGKILL')
    expect(run.lines.some((l) => l.includes('"phase":"exporting"'))).toBe(true)
    expect(await models(t.models)).toEqual([])
  }, 120_000)

  it('a failed export (the parity check) leaves no model where the tracker looks', async () => {
    const t = await setup()
    const python = await standInPython(t.dir, 'exit 1')
    const bus = new EventBus()
    const opts = { packageDir: defaultTrainingPackageDir(), runsDir: t.runs, modelsDir: t.models }
    const training = new TrainingService({ ...opts, pythonSetting: python }, bus)
    const ended = new Promise<{ state: string; message: string | null }>((resolve) =>
      bus.subscribe((m) => {
        const p = m.payload as { state: string; message: string | null }
        if (m.event === 'training.update' && p.state !== 'running') resolve(p)
      })
    )
    await training.start({ projectDir: t.project, minutes: 0.05, arch: 'mmfnet-tiny' })
    expect(await ended).toMatchObject({ state: 'failed', message: expect.stringMatching(/export failed/) })
    expect(await models(t.models)).toEqual([])
    training.dispose()
  }, 120_000)
})
