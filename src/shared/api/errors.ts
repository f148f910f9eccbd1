// Runs everywhere (shared): the error every failed request carries: a code and a message a person can act on.
import type { z } from 'zod'
import type { ApiErrorCode } from './schemas'

export type ErrorCode = z.infer<typeof ApiErrorCode>

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

/** Formats zod issues as one readable sentence: "path: problem; path: problem". */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ')
}
