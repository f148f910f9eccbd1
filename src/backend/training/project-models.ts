// Runs in the backend (plain Node): where a project keeps what adaptation makes — its adapted models in
// <project>/.studio/models (the tracker lists them: model-catalog.ts), its runs in <project>/.studio/runs/<job>
// — and how a finished model gets there: its PyTorch sibling first, the .onnx last, each in one rename, so the
// tracker (which lists *.onnx) never shows a model that is not whole, nor one without its .pt.
import { existsSync } from 'node:fs'
import { copyFile, mkdir, rename, rm } from 'node:fs/promises'
import path from 'node:path'
import { STUDIO_DIR } from '../project/layout'

export function projectModelsDir(root: string): string {
  return path.join(root, STUDIO_DIR, 'models')
}

export function projectRunsDir(root: string): string {
  return path.join(root, STUDIO_DIR, 'runs')
}

/** The PyTorch checkpoint that goes with a model file: same name, .pt (what adaptation starts from). */
export function ptSibling(model: string): string {
  return model.replace(/\.onnx$/i, '') + '.pt'
}

/** A name nothing in `dir` has yet: adapted-<date>-<time>, with -2, -3… if that is taken. */
export function freshModelName(dir: string, now: Date): string {
  const stamp = now.toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-')
  const taken = (n: string): boolean => existsSync(path.join(dir, `${n}.onnx`))
  let name = `adapted-${stamp}`
  for (let i = 2; taken(name); i++) name = `adapted-${stamp}-${i}`
  return name
}

/** Moves OUT.pt then OUT.onnx (made in the run folder) to `toOnnx` and its sibling. */
export async function placeModelPair(fromOnnx: string, toOnnx: string): Promise<void> {
  await mkdir(path.dirname(toOnnx), { recursive: true })
  const fromPt = ptSibling(fromOnnx)
  if (existsSync(fromPt)) await move(fromPt, ptSibling(toOnnx))
  await move(fromOnnx, toOnnx)
}

/** One rename; across disks a copy under a name nobody lists first. */
async function move(from: string, to: string): Promise<void> {
  try {
    await rename(from, to)
    return
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err
  }
  const tmp = `${to}.${process.pid}.copying`
  try {
    await copyFile(from, tmp)
    await rename(tmp, to)
    await rm(from, { force: true })
  } finally {
    await rm(tmp, { force: true }).catch(() => undefined)
  }
}
