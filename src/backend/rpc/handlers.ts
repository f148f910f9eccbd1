// Runs in the backend (plain Node): the type every backend must satisfy — one async function per contract
// method, no more and no less. The compiler checks it wherever a backend is assembled (see services/index.ts).
import type { MethodName, Params, Result } from '../../shared/api/contract'

export type Handlers = { [M in MethodName]: (params: Params<M>) => Promise<Result<M>> }
