// Runs in Node (Vitest): the studio's side of an adaptation job when its end goes wrong. The Python it is given
// is a stand-in shell script (so these run where PyTorch is not installed; the real package is exercised by
// tests/unit/training): "adapting" leaves a checkpoint in the run folder, writes the model file there with its
// .pt and prints the `exported` event, and then either kills the studio with SIGKILL (before the studio learns
// how the run ended) or fails. Either way the project's models folder, which the tracker lists, must hold no
// model; after the SIGKILL the run is offered for resuming.
import { chmod, readdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runSynth } from '../../../src/cli/commands/synth'
import { EventBus } from '../../../src/backend/rpc/event-bus'
import { bundledModelsDir } from '../../../src/backend/tracking/model-catalog'
import { projectModelsDir } from '../../../src/backend/training/project-models'
import { unfinishedRuns } from '../../../src/backend/training/run-record'
import { defaultTrainingPackageDir, TrainingService } from '../../../src/backend/training/training-service'
import { crashAt } from './crash-run'
import { tempDir } from './helpers'

let tmp: Awaited<ReturnType<typeof tempDir>> | null = null
afterEach(async () => {
  await tmp?.done()
})

/** A Python stand-in whose adaptation writes its --out model (and .pt) and then runs `after` (a shell command). */
async function standInPython(dir: string, after: string): Promise<string> {
  const file = path.join(dir, 'python-stand-in.sh')
  const script = [
    '#!/bin/sh',
    'if [ "$1" = "-c" ]; then echo "0.0-stand-in"; exit 0; fi',
    'mod="$2"; out=""; run=""',
    'while [ $# -gt 0 ]; do',
    '  if [ "$1" = "--out" ]; then out="$2"; fi',
    '  if [ "$1" = "--run-dir" ]; then run="$2"; fi',
    '  shift',
    'done',
    'if [ "$mod" != "shuttle_training.adapt" ]; then exit 2; fi',
    'printf checkpoint > "$run/last.pt"',
    'echo \'{"event":"start","train_frames":40,"held_frames":15,"budget_s":3}\'',
    'printf pt > "${out%.onnx}.pt"; printf onnx > "$out"',
    'echo "{\\"event\\":\\"exported\\",\\"file\\":\\"$out\\",\\"f1\\":0.5,\\"f1_before\\":0.4,\\"stopped\\":false}"',
    after,
    'exit 0'
  ]
  await writeFile(file, script.join('\n') + '\n')
  await chmod(file, 0o755)
  return file
}

async function setup(): Promise<{ project: string; dir: string }> {
  tmp = await tempDir('studio-adapt-')
  const project = path.join(tmp.dir, 'project')
  await runSynth(
    { out: project, clips: '1', seconds: '2', size: '320x180', fps: '30', seed: '4' },
    { progress: false, log: () => undefined }
  )
  return { project, dir: tmp.dir }
}

const models = async (project: string): Promise<string[]> =>
  (await readdir(projectModelsDir(project)).catch(() => [] as string[])).filter((f) =>
    f.toLowerCase().endsWith('.onnx')
  )

describe.skipIf(process.platform === 'win32' || !bundledModelsDir())('adaptation end', () => {
  it('SIGKILL after the model is written leaves no model where the tracker looks, and the run resumable', async () => {
    const t = await setup()
    const python = await standInPython(t.dir, 'kill -9 $PPID')
    const run = await crashAt('adapt', [t.project, python], null)
    expect(run.signal, run.stderr).toBe('SIGKILL')
    expect(run.lines.some((l) => l.includes('"phase":"training"'))).toBe(true)
    expect(await models(t.project)).toEqual([])
    expect((await unfinishedRuns(t.project)).map((r) => r.minutes)).toEqual([0.05])
  }, 120_000)

  it('a failed run leaves no model where the tracker looks, and says how it ended', async () => {
    const t = await setup()
    const python = await standInPython(t.dir, 'echo "parity check failed" >&2; exit 1')
    const bus = new EventBus()
    const library = { dir: t.project, name: 'p', matches: [], problems: [] }
    const training = new TrainingService(
      {
        packageDir: defaultTrainingPackageDir(),
        pythonSetting: python,
        modelDirs: { bundled: bundledModelsDir(), user: null },
        library: async () => library
      },
      bus
    )
    const ended = new Promise<{ state: string; message: string | null }>((resolve) =>
      bus.subscribe((m) => {
        const p = m.payload as { state: string; message: string | null }
        if (m.event === 'training.update' && p.state !== 'running') resolve(p)
      })
    )
    await training.start({ minutes: 0.05 })
    expect(await ended).toMatchObject({
      state: 'failed',
      message: expect.stringMatching(/parity check failed/)
    })
    expect(await models(t.project)).toEqual([])
    training.dispose()
  }, 120_000)
})
