// Runs in the backend (plain Node): turns a file-system error into an ApiError a person can act on — which
// file, what went wrong (read-only folder, full disk, missing), and what happens to their work.
import { ApiError } from '../../shared/api/errors'

export function diskError(err: unknown, doing: string, file: string, consequence = ''): ApiError {
  if (err instanceof ApiError) return err
  const code = (err as NodeJS.ErrnoException)?.code
  const tail = consequence ? ` ${consequence}` : ''
  switch (code) {
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new ApiError(
        'io',
        `Cannot ${doing} ${file}: the folder is read-only (${code}). Make it writable, or copy the project to a folder you can write to.${tail}`
      )
    case 'ENOSPC':
    case 'EDQUOT':
      return new ApiError(
        'io',
        `Cannot ${doing} ${file}: the disk is full (${code}). Free some space.${tail}`
      )
    case 'ENOENT':
      return new ApiError('not-found', `Cannot ${doing} ${file}: it does not exist.${tail}`)
    case 'ENOTDIR':
      return new ApiError(
        'bad-request',
        `Cannot ${doing} ${file}: a part of that path is a file, not a folder.${tail}`
      )
    default:
      return new ApiError('io', `Cannot ${doing} ${file}: ${(err as Error)?.message ?? String(err)}.${tail}`)
  }
}
