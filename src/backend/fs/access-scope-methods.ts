// Runs in the backend (plain Node): the one table of every API method's paths and what each may reach (see
// access-scope.ts), and the wrapper that puts every handler behind it. The table has an entry for every method
// of the contract — the compiler refuses a new method until it says which of its params are paths — so no
// method that takes a path can skip the check.
import type { MethodName, Params, Result } from '../../shared/api/contract'
import type { Handlers } from '../rpc/handlers'
import type { Access, AccessScope } from './access-scope'

interface PathRule<M extends MethodName> {
  access: Access
  /** What the path is, in the words of the refusal ("label file", "folder to export into"). */
  what: string
  paths: (p: Params<M>) => readonly (string | undefined)[]
}

interface MethodRules<M extends MethodName> {
  check: readonly PathRule<M>[]
  /** What a successful call grants from then on (what it opened). */
  grants?: (p: Params<M>, r: Result<M>) => readonly string[]
}

/**
 * A model is given by id (a bundled or user model's file stem) or by path; only a path is a place on disk.
 * The same test the model catalogue applies (src/backend/tracking/model-catalog.ts, loadModel).
 */
function modelPath(ref: string | undefined): string | undefined {
  if (!ref) return undefined
  return ref.includes('/') || ref.includes('\\') || ref.toLowerCase().endsWith('.onnx') ? ref : undefined
}

const none = { check: [] } as const

export const PATH_RULES: { [M in MethodName]: MethodRules<M> } = {
  'app.info': none,
  // Opening a video is the person's choice (native dialog, picker, typed path, a drop); it is then granted.
  'video.open': {
    check: [{ access: 'open', what: 'video', paths: (p) => [p.path] }],
    grants: (_p, r) => [r.info.path]
  },
  'video.close': none,
  'video.frameTimes': none,
  'video.prefetch': none,
  'video.repeatedFrames': none,
  'fs.list': { check: [{ access: 'browse', what: 'folder', paths: (p) => [p.dir || undefined] }] },
  'project.create': {
    check: [{ access: 'open', what: 'project folder', paths: (p) => [p.dir] }],
    grants: (_p, r) => [r.dir]
  },
  'project.open': {
    check: [{ access: 'open', what: 'project folder', paths: (p) => [p.dir] }],
    grants: (_p, r) => [r.dir]
  },
  'project.library': none,
  'project.close': none,
  // Videos added are chosen (dialog, drop, picker); a referenced one stays where it is and is read from there.
  'project.addVideos': {
    check: [{ access: 'open', what: 'video', paths: (p) => p.paths }],
    grants: (p) => p.paths
  },
  // Names inside the open project (ExistingMatchName, MatchName), never paths.
  'project.renameMatch': none,
  'project.removeClip': none,
  // A clip's video may be a reference to a file outside the project: opening the clip opens that video.
  'clip.open': { check: [], grants: (_p, r) => [r.info.path] },
  'clip.close': none,
  'labels.edit': none,
  'labels.import': { check: [{ access: 'choose', what: 'label file', paths: (p) => [p.path] }] },
  'labels.export': { check: [{ access: 'choose', what: 'file to write', paths: (p) => [p.path] }] },
  'dataset.export': { check: [{ access: 'choose', what: 'folder to export into', paths: (p) => [p.dir] }] },
  'dataset.cancel': none,
  // The list only; no file is touched.
  'recent.list': none,
  'recent.forget': none,
  'training.status': none,
  'training.summary': none,
  // Training works on the open project; the models it starts from are given by id or path.
  'training.suggest': { check: [{ access: 'use', what: 'model', paths: (p) => [modelPath(p.model)] }] },
  'training.start': { check: [{ access: 'use', what: 'base model', paths: (p) => [modelPath(p.base)] }] },
  'training.resume': none,
  'training.discard': none,
  'training.cancel': none,
  'models.list': none,
  'track.start': {
    check: [
      { access: 'use', what: 'video to track', paths: (p) => [p.path] },
      { access: 'use', what: 'model', paths: (p) => [modelPath(p.model)] }
    ]
  },
  'track.cancel': none,
  'track.result': none,
  'track.disagreements': none,
  'evaluation.start': {
    check: [{ access: 'use', what: 'model', paths: (p) => [modelPath(p.model), modelPath(p.compare?.model)] }]
  },
  'evaluation.cancel': none,
  'evaluation.result': none,
  'evaluation.frames': none
}

/** The same handlers, each checking its paths against `scope` first and granting what it opened after. */
export function scopedHandlers(handlers: Handlers, scope: AccessScope): Handlers {
  const wrap = <M extends MethodName>(method: M): Handlers[M] => {
    const rules = PATH_RULES[method] as MethodRules<M>
    const handler = handlers[method] as (p: Params<M>) => Promise<Result<M>>
    if (rules.check.length === 0 && !rules.grants) return handler as Handlers[M]
    return (async (params: Params<M>) => {
      for (const rule of rules.check) {
        for (const p of rule.paths(params)) if (p) await scope.check(p, rule.access, rule.what)
      }
      const result = await handler(params)
      for (const p of rules.grants?.(params, result) ?? []) await scope.grant(p)
      return result
    }) as Handlers[M]
  }
  const out: Partial<Record<MethodName, unknown>> = {}
  for (const m of Object.keys(handlers) as MethodName[]) out[m] = wrap(m)
  return out as Handlers
}
