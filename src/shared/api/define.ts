// Runs everywhere (shared): how a contract method is declared — a params schema and a result schema.
import type { z } from 'zod'

export const method = <P extends z.ZodType, R extends z.ZodType>(params: P, result: R) => ({ params, result })
