// Runs everywhere (shared): the one set of rules for every name and path the API takes — match names, clip and
// file names, and paths — so the contract (which validates each request) and the backend (which builds paths
// inside a project from those names) refuse exactly the same things. A name is one folder or file name inside
// the project: it can never climb out of it ("..", a separator) nor reach the studio's own state (".studio",
// or any name starting with a dot).
import { z } from 'zod'

/** Longest path accepted (Linux's PATH_MAX; Windows long paths are shorter in practice). */
export const MAX_PATH_LENGTH = 4096
/** Longest file or folder name most file systems hold (255 bytes; a character may take up to 4). */
export const MAX_NAME_BYTES = 255

const SEPARATORS = /[/\\]/
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
const CONTROL = /[\u0000-\u001f\u007f]/
/** Characters Windows cannot hold in a name: a project made on Linux must still open there. */
const NOT_ON_WINDOWS = /[:*?"<>|]/
/** Names Windows keeps for devices, whatever the extension. */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i

const utf8Bytes = (s: string): number => new TextEncoder().encode(s).length

/**
 * Why `name` cannot be one folder or file name inside a project, or null when it can. These are the rules a
 * name already on disk must meet to be used at all: a single name, not hidden, not a way out.
 */
export function segmentProblem(name: string, what: string): string | null {
  if (name.length === 0) return `give the ${what}`
  if (CONTROL.test(name)) return `a ${what} cannot contain control characters`
  if (SEPARATORS.test(name)) return `a ${what} is one name, without / or \\`
  if (name.startsWith('.')) return `a ${what} cannot start with a dot (those names are the studio's own)`
  if (utf8Bytes(name) > MAX_NAME_BYTES) return `a ${what} is at most ${MAX_NAME_BYTES} bytes`
  return null
}

/** Why `name` cannot be given to a new match or file (stricter: it must also work on Windows), or null. */
export function newNameProblem(name: string, what: string, maxChars: number): string | null {
  const basic = segmentProblem(name, what)
  if (basic) return basic
  if (name.length > maxChars) return `a ${what} is at most ${maxChars} characters`
  if (NOT_ON_WINDOWS.test(name)) return `a ${what} cannot contain / \\ : * ? " < > |`
  if (/[. ]$/.test(name)) return `a ${what} cannot end with a dot or a space`
  if (WINDOWS_DEVICE.test(name)) return `"${name}" is a device name on Windows: pick another ${what}`
  return null
}

/** Why `p` cannot be a path given to the API, or null. Paths point anywhere the user picks; they must be real. */
export function pathProblem(p: string, whenEmpty: string): string | null {
  if (p.length === 0) return whenEmpty
  if (p.includes('\u0000')) return 'a path cannot contain a NUL character'
  if (p.length > MAX_PATH_LENGTH) return `a path is at most ${MAX_PATH_LENGTH} characters`
  return null
}

const check =
  (problem: (s: string) => string | null) =>
  (s: string, ctx: z.RefinementCtx): void => {
    const message = problem(s)
    if (message) ctx.addIssue({ code: 'custom', message })
  }

/** A new match's name (a folder of the project): trimmed, one name, valid on every system. */
export const MatchName = z
  .string()
  .trim()
  .superRefine(check((s) => newNameProblem(s, 'match name', 120)))

/** The name of a match that is already there (made outside the studio, perhaps with a ':' in it). */
export const ExistingMatchName = z.string().superRefine(check((s) => segmentProblem(s, 'match name')))

/** The name of a file sent as bytes (an upload): its base name only, valid on every system. */
export const UploadFileName = z.string().superRefine(check((s) => newNameProblem(s, 'file name', 240)))

/** A path of the machine the backend runs on (a video, a label file, a folder), with what to say when empty. */
export const FilePath = (whenEmpty = 'give a path') =>
  z.string().superRefine(check((s) => pathProblem(s, whenEmpty)))

/** A path where '' means "the default place" (the path picker's first folder). */
export const PathOrDefault = z.string().superRefine(check((s) => (s === '' ? null : pathProblem(s, ''))))
