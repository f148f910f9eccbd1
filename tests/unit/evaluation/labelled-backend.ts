// Runs in Node (Vitest helper): what the evaluation tests start from — a labelled match generated in a fresh
// temporary folder and a real backend (its own cache there), called through the real dispatcher so params and
// results are checked against the contract as they would be over a socket.
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { dispatch } from '../../../src/backend/rpc/dispatch'
import { createBackend, type Backend } from '../../../src/backend/services'
import type { MethodName, Params, Result } from '@shared/api/contract'
import { makeLabelledMatch, type LabelledMatch } from './fixture'

export type Call = <M extends MethodName>(method: M, params: Params<M>) => Promise<Result<M>>

export interface LabelledBackend {
  dir: string
  cacheDir: string
  data: LabelledMatch
  backend: Backend
  /** One request through the dispatcher; a refusal throws an Error carrying the error's code. */
  call: Call
  /** Closes the project first (its clips are saved before their folder goes), then the backend and folder. */
  stop: () => Promise<void>
}

/** Generates the match in a temporary folder named after `prefix` and starts a backend beside it. */
export async function startLabelledBackend(prefix: string): Promise<LabelledBackend> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix))
  const cacheDir = path.join(dir, 'cache')
  const data = await makeLabelledMatch(dir)
  const backend = await createBackend({ host: 'cli', version: 'test', cacheDir })
  let id = 0
  const call: Call = async (method, params) => {
    const r = await dispatch(backend.handlers, { type: 'request', id: ++id, method, params })
    if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code })
    return r.result as Result<typeof method>
  }
  const stop = async (): Promise<void> => {
    await call('project.close', {}).catch(() => undefined)
    backend.dispose()
    await rm(dir, { recursive: true, force: true })
  }
  return { dir, cacheDir, data, backend, call, stop }
}
