// Runs in the backend (plain Node): which files and folders the API may read or write, for the hosts a page
// talks to (browser mode, the desktop app). A path the API is given is resolved (`..` folded, every symlink
// followed to where it really leads) and then judged against two sets of folders:
// - granted roots: what the person opened or chose (a project, a video) and the app's own folders; anything
//   inside one may be read and written;
// - the reach: the home folder and the temporary folder, where the folder picker browses and where a person
//   may name a file to import from or export to (browser mode has no file dialog, so the typed or picked path
//   is the choice) — never inside a hidden folder (~/.ssh, ~/.config: the places secrets live).
// Everything else (system folders, other disks not opened) is refused with 'forbidden', naming the path and
// how to grant it. docs/ARCHITECTURE.md "Security" says which method may reach what.
import { lstat, realpath } from 'node:fs/promises'
import path from 'node:path'
import { ApiError } from '../../shared/api/errors'

/**
 * What a method does with a path:
 * - open: the person opens it (a project, a video): any path; opening it grants it.
 * - choose: a file or folder the person names to read from or write to: a granted root or the reach.
 * - use: something the studio already knows (an opened video, a project, a model): granted roots only.
 * - browse: a folder listing (names only): a granted root, the reach, or a folder on the way to one of them.
 */
export type Access = 'open' | 'choose' | 'use' | 'browse'

/** True when `p` is `root` or inside it (both resolved, absolute). */
export function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p)
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel))
}

/**
 * Where `p` really is: absolute, `..` folded, every symlink followed. A path that does not exist yet (a file
 * to write) is its nearest existing folder's real path plus the rest; a link that leads nowhere is refused,
 * since writing through it would create its target wherever it points.
 */
export async function realLocation(p: string): Promise<string> {
  const abs = path.resolve(p)
  try {
    return await realpath(abs)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    // Not there yet, or under a file (the method itself then says what is wrong): judged by where it would be.
    if (code !== 'ENOENT' && code !== 'ENOTDIR') {
      throw new ApiError('io', `Cannot tell where ${abs} leads (${code ?? (err as Error).message}).`)
    }
  }
  const link = await lstat(abs).catch(() => null)
  if (link?.isSymbolicLink()) {
    throw new ApiError('forbidden', `${abs} is a link to something that does not exist; give the real path.`)
  }
  const parent = path.dirname(abs)
  if (parent === abs) return abs
  return path.join(await realLocation(parent), path.basename(abs))
}

/** True when a name inside `root` on the way to `p` starts with a dot (a hidden folder or file). */
function hiddenWithin(root: string, p: string): boolean {
  return path
    .relative(root, p)
    .split(path.sep)
    .some((name) => name.startsWith('.') && name !== '.' && name !== '..')
}

export interface AccessScopeOptions {
  /** Folders a person may browse and name files in (the home and temporary folders). */
  reach: readonly string[]
  /** Folders and files granted from the start: the app's own folders, the demo. */
  roots: readonly (string | null | undefined)[]
}

export class AccessScope {
  private readonly roots = new Set<string>()
  private reach: string[] = []
  private readonly ready: Promise<void>

  constructor(opts: AccessScopeOptions) {
    this.ready = (async () => {
      this.reach = await Promise.all(opts.reach.map((r) => realLocation(r)))
      // Added here, not through grant(), which waits for this very promise.
      for (const r of opts.roots) if (r) this.roots.add(await realLocation(r))
    })()
  }

  /** Grants `p` (a folder: everything inside it; a file: that file) from now on. */
  async grant(p: string): Promise<void> {
    await this.ready
    this.roots.add(await realLocation(p))
  }

  /** The granted roots, resolved (for messages and tests). */
  async granted(): Promise<string[]> {
    await this.ready
    return [...this.roots]
  }

  /**
   * Checks that `p` may be used as `access` says and returns where it really is; throws 'forbidden' naming
   * the path (as given and as resolved, when they differ) and how to grant it.
   */
  async check(p: string, access: Access, what: string): Promise<string> {
    await this.ready
    const real = await realLocation(p)
    if (access === 'open') return real
    if ([...this.roots].some((root) => isInside(root, real))) return real
    const inReach = this.reach.some((r) => isInside(r, real) && !hiddenWithin(r, real))
    if ((access === 'choose' || access === 'browse') && inReach) return real
    if (access === 'browse' && this.onTheWay(real)) return real
    throw new ApiError('forbidden', this.refusal(p, real, access, what))
  }

  /** A folder that holds a granted root or the reach: the picker passes through it on the way up. */
  private onTheWay(dir: string): boolean {
    return [...this.roots, ...this.reach].some((r) => r !== dir && isInside(dir, r))
  }

  private refusal(given: string, real: string, access: Access, what: string): string {
    const where = path.resolve(given) === real ? real : `${given} (which leads to ${real})`
    const how =
      access === 'use'
        ? 'Open it first (the project that holds it, or the video itself), or put it in the open project.'
        : 'Choose a place in your home folder (not a hidden folder) or in the open project, or open the ' +
          'folder that holds it as a project.'
    return `Forbidden: the ${what} ${where} is outside the folders this studio was given. ${how}`
  }
}
