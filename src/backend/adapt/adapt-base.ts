// Runs in the backend (plain Node): which PyTorch checkpoint adaptation starts from. The tracker runs ONNX; the
// Python side fine-tunes the PyTorch weights the ONNX was exported from, shipped beside it with the same name
// (mmfnet-small.onnx + mmfnet-small.pt, and OUT.onnx + OUT.pt for an adapted model, so it can be adapted again).
// A model named by id is looked for where the tracker looks (the bundled models, then the user's models folder).
import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { DEFAULT_MODEL, type ModelDirs } from '../tracking/model-catalog'

export interface AdaptBase {
  /** The checkpoint the Python side loads. */
  pt: string
  /** The ONNX model it belongs to, where there is one (its metadata: threshold, frame spacing). */
  onnx: string | null
}

export class AdaptBaseProblem extends Error {
  override name = 'AdaptBaseProblem'
}

const isFile = (p: string): boolean => existsSync(p) && statSync(p).isFile()

/** The checkpoint for `ref` (an id, an .onnx with its .pt sibling, or a .pt); throws AdaptBaseProblem. */
export function resolveAdaptBase(ref: string | undefined, dirs: ModelDirs): AdaptBase {
  const want = ref ?? DEFAULT_MODEL
  const lower = want.toLowerCase()
  const looksLikePath = want.includes('/') || want.includes('\\') || /\.(onnx|pt)$/.test(lower)
  if (looksLikePath) {
    const file = path.resolve(want)
    if (!isFile(file)) throw new AdaptBaseProblem(`${file} does not exist.`)
    if (lower.endsWith('.pt')) {
      const onnx = file.slice(0, -'.pt'.length) + '.onnx'
      return { pt: file, onnx: isFile(onnx) ? onnx : null }
    }
    if (!lower.endsWith('.onnx')) {
      throw new AdaptBaseProblem(`${file} is neither an .onnx model nor a .pt checkpoint.`)
    }
    const pt = file.slice(0, -'.onnx'.length) + '.pt'
    if (!isFile(pt)) {
      throw new AdaptBaseProblem(
        `${file} has no PyTorch checkpoint beside it (${path.basename(pt)}): adaptation fine-tunes the ` +
          'PyTorch weights the ONNX was exported from. Pass that .pt with --base, or adapt the bundled model.'
      )
    }
    return { pt, onnx: file }
  }
  for (const dir of [dirs.bundled, dirs.user]) {
    if (!dir) continue
    const pt = path.join(dir, `${want}.pt`)
    if (isFile(pt)) {
      const onnx = path.join(dir, `${want}.onnx`)
      return { pt, onnx: isFile(onnx) ? onnx : null }
    }
  }
  const where = [dirs.bundled, dirs.user].filter((d): d is string => !!d).join(' or ')
  throw new AdaptBaseProblem(
    `no model "${want}" with a PyTorch checkpoint (${want}.pt) in ${where || 'any models folder'}; ` +
      'pass --base with an .onnx that has its .pt beside it, or a .pt.'
  )
}
