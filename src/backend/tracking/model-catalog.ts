// Runs in the backend (plain Node): finds tracker models — the bundled ones (resources/models, packaged as
// <resources>/models), the user's (the cache folder's models/), the open project's adapted ones
// (<project>/.studio/models), or any .onnx path — and reads their metadata.
// A model is named by its file stem ("mmfnet-small") or by its path; the default is mmfnet-small. Its int8
// variant <stem>.int8.onnx (precision-choice.ts) is not listed apart: it stands in for the model when faster.
import { existsSync } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { modelFileHash } from '../fs/content-hash'
import { ModelProblem, specFromMetadata, type ModelSpec } from './model-spec'
import { NotOnnxError, readOnnxMetadata } from './onnx-metadata'

export const DEFAULT_MODEL = 'mmfnet-small'

export interface ModelDirs {
  bundled: string | null
  user: string | null
  /** The open project's adapted models (<project>/.studio/models), when a project is open. */
  readonly project?: string | null
}

export interface ModelEntry {
  id: string
  path: string
  source: 'bundled' | 'user' | 'project' | 'path'
  /** null when the model cannot be used; problem says why. */
  spec: ModelSpec | null
  metadata: Record<string, string>
  problem: string | null
}

export interface LoadedModel extends ModelEntry {
  spec: ModelSpec
  hash: string
}

/** The bundled models folder: SHUTTLE_MODELS_DIR, the packaged resources, or the repository's resources/. */
export function bundledModelsDir(): string | null {
  const resources = (process as { resourcesPath?: string }).resourcesPath
  const candidates = [
    process.env.SHUTTLE_MODELS_DIR,
    resources ? path.join(resources, 'models') : undefined,
    path.join(__dirname, '..', '..', 'resources', 'models'), // out/main/ (the build)
    path.join(__dirname, '..', '..', '..', 'resources', 'models') // src/backend/tracking (sources)
  ]
  for (const c of candidates) if (c && existsSync(c)) return path.resolve(c)
  return null
}

export function defaultModelDirs(cacheDir: string): ModelDirs {
  return { bundled: bundledModelsDir(), user: path.join(cacheDir, 'models') }
}

async function describe(file: string, id: string, source: ModelEntry['source']): Promise<ModelEntry> {
  try {
    const metadata = await readOnnxMetadata(file)
    try {
      return { id, path: file, source, spec: specFromMetadata(metadata), metadata, problem: null }
    } catch (e) {
      return { id, path: file, source, spec: null, metadata, problem: (e as Error).message }
    }
  } catch (e) {
    const why = e instanceof NotOnnxError ? `not an ONNX model: ${e.message}` : (e as Error).message
    return { id, path: file, source, spec: null, metadata: {}, problem: why }
  }
}

async function onnxFiles(dir: string | null): Promise<string[]> {
  if (!dir) return []
  try {
    return (await readdir(dir)).filter((f) => f.toLowerCase().endsWith('.onnx')).sort()
  } catch {
    return []
  }
}

/** For <stem>.int8.onnx, the fp32 model's file name <stem>.onnx; null for any other name. */
export function int8SiblingOf(file: string): string | null {
  return /\.int8\.onnx$/i.test(file) ? file.replace(/\.int8\.onnx$/i, '.onnx') : null
}

export async function listModels(dirs: ModelDirs): Promise<ModelEntry[]> {
  const out: ModelEntry[] = []
  const seen = new Set<string>()
  for (const [dir, source] of [
    [dirs.bundled, 'bundled'],
    [dirs.user, 'user'],
    [dirs.project ?? null, 'project']
  ] as const) {
    const files = await onnxFiles(dir)
    for (const f of files) {
      const id = f.slice(0, -'.onnx'.length)
      // An int8 sibling is not a model of its own: it runs in its fp32 model's place (precision-choice.ts).
      if (files.includes(int8SiblingOf(f) ?? '')) continue
      if (seen.has(id)) continue // a user model cannot hide a bundled one of the same name
      seen.add(id)
      out.push(await describe(path.join(dir as string, f), id, source))
    }
  }
  return out
}

/** Resolves a model by id or path and checks its metadata; throws ModelProblem saying what is wrong. */
export async function loadModel(ref: string | undefined, dirs: ModelDirs): Promise<LoadedModel> {
  const want = ref ?? DEFAULT_MODEL
  let file: string | null = null
  let source: ModelEntry['source'] = 'path'
  const looksLikePath = want.includes('/') || want.includes('\\') || want.toLowerCase().endsWith('.onnx')
  if (looksLikePath) file = path.resolve(want)
  else {
    for (const [dir, s] of [
      [dirs.bundled, 'bundled'],
      [dirs.user, 'user'],
      [dirs.project ?? null, 'project']
    ] as const) {
      if (dir && existsSync(path.join(dir, `${want}.onnx`))) {
        file = path.join(dir, `${want}.onnx`)
        source = s
        break
      }
    }
  }
  if (!file) {
    const known = (await listModels(dirs)).map((m) => m.id)
    throw new ModelProblem(
      `no model "${want}"${known.length ? `; known: ${known.join(', ')}` : ' (no models installed yet)'}. ` +
        'Give an id or the path of an .onnx file.'
    )
  }
  const st = await stat(file).catch(() => null)
  if (!st?.isFile()) throw new ModelProblem(`${file} does not exist or is not a file.`)
  const entry = await describe(file, looksLikePath ? path.basename(file, '.onnx') : want, source)
  if (!entry.spec) throw new ModelProblem(`${file}: ${entry.problem}`)
  return { ...entry, spec: entry.spec, hash: await modelFileHash(file) }
}
