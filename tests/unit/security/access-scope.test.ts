// Runs in Node (Vitest): the access scope on real folders and real symlinks — what each kind of access may
// reach: granted roots, the reach (not its hidden folders), folders on the way up for the picker; `..` escapes
// folded before judging; symlinks judged by where they lead; a dangling link refused.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { AccessScope, isInside, realLocation } from '../../../src/backend/fs/access-scope'

const top = mkdtempSync(path.join(os.tmpdir(), 'access-scope-'))
const home = path.join(top, 'home')
const granted = path.join(top, 'outside', 'project')
const elsewhere = path.join(top, 'outside', 'other')
for (const d of [path.join(home, 'videos'), path.join(home, '.ssh'), granted, elsewhere]) {
  mkdirSync(d, { recursive: true })
}
writeFileSync(path.join(elsewhere, 'secret.txt'), 'secret')
writeFileSync(path.join(home, '.ssh', 'id'), 'key')
writeFileSync(path.join(granted, 'labels.csv'), 'Frame,Visibility,X,Y\n')
symlinkSync(path.join(elsewhere, 'secret.txt'), path.join(granted, 'link.csv'))
symlinkSync(elsewhere, path.join(granted, 'out'))
symlinkSync(path.join(elsewhere, 'nothing-yet.csv'), path.join(granted, 'dangling.csv'))
afterAll(() => rmSync(top, { recursive: true, force: true }))

// The reach is a folder of this test, not the real home or temporary folder, so "outside" is outside it.
const scope = new AccessScope({ reach: [home], roots: [granted] })

const code = (p: Promise<unknown>) =>
  p.then(
    () => 'allowed',
    (e: { code?: string }) => e.code ?? String(e)
  )

describe('isInside', () => {
  it('is true for the folder and what is under it, false for a sibling with the same prefix and for ..', () => {
    expect(isInside('/a/b', '/a/b')).toBe(true)
    expect(isInside('/a/b', '/a/b/c/d')).toBe(true)
    expect(isInside('/a/b', '/a/bc')).toBe(false)
    expect(isInside('/a/b', '/a')).toBe(false)
    expect(isInside('/a/b', '/a/b/..c')).toBe(true)
  })
})

describe('AccessScope', () => {
  it('lets "use" reach only granted roots', async () => {
    expect(await code(scope.check(path.join(granted, 'labels.csv'), 'use', 'file'))).toBe('allowed')
    expect(await code(scope.check(path.join(home, 'videos'), 'use', 'file'))).toBe('forbidden')
    expect(await code(scope.check(path.join(elsewhere, 'secret.txt'), 'use', 'file'))).toBe('forbidden')
  })

  it('lets "choose" reach granted roots and the reach, never a hidden folder of it', async () => {
    expect(await code(scope.check(path.join(home, 'videos', 'new.csv'), 'choose', 'file'))).toBe('allowed')
    expect(await code(scope.check(path.join(granted, 'new', 'deep.csv'), 'choose', 'file'))).toBe('allowed')
    expect(await code(scope.check(path.join(home, '.ssh', 'id'), 'choose', 'file'))).toBe('forbidden')
    expect(await code(scope.check(path.join(home, '.bashrc'), 'choose', 'file'))).toBe('forbidden')
    expect(await code(scope.check(path.join(elsewhere, 'secret.txt'), 'choose', 'file'))).toBe('forbidden')
  })

  it('folds .. before judging: a path that climbs out of a granted root is judged where it lands', async () => {
    const escape = path.join(granted, '..', 'other', 'secret.txt')
    expect(await code(scope.check(escape, 'choose', 'file'))).toBe('forbidden')
    const back = path.join(elsewhere, '..', 'project', 'labels.csv')
    expect(await code(scope.check(back, 'use', 'file'))).toBe('allowed')
  })

  it('follows symlinks: a link in a granted root that leads out of it is judged where it leads', async () => {
    const err = await scope.check(path.join(granted, 'link.csv'), 'choose', 'label file').catch((e) => e)
    expect(err.code).toBe('forbidden')
    // The refusal names the path given and where it leads, and how to grant access.
    expect(err.message).toContain(path.join(granted, 'link.csv'))
    expect(err.message).toContain(path.join(elsewhere, 'secret.txt'))
    expect(err.message).toMatch(/open the folder that holds it as a project/)
    // A file to write inside a linked folder lands in the link's target.
    expect(await code(scope.check(path.join(granted, 'out', 'new.csv'), 'choose', 'file'))).toBe('forbidden')
  })

  it('refuses a link that leads nowhere (writing through it would create the target)', async () => {
    expect(await code(scope.check(path.join(granted, 'dangling.csv'), 'choose', 'file'))).toBe('forbidden')
  })

  it('opens anything, and grants what was opened', async () => {
    const s = new AccessScope({ reach: [home], roots: [] })
    expect(await code(s.check(path.join(elsewhere, 'secret.txt'), 'use', 'file'))).toBe('forbidden')
    expect(await code(s.check(elsewhere, 'open', 'project folder'))).toBe('allowed')
    await s.grant(elsewhere)
    expect(await code(s.check(path.join(elsewhere, 'secret.txt'), 'use', 'file'))).toBe('allowed')
  })

  it('lets the picker browse the reach, granted roots and the folders on the way up to them, nothing else', async () => {
    expect(await code(scope.check(path.join(home, 'videos'), 'browse', 'folder'))).toBe('allowed')
    expect(await code(scope.check(path.join(granted, 'out'), 'browse', 'folder'))).toBe('forbidden')
    expect(await code(scope.check(path.join(top, 'outside'), 'browse', 'folder'))).toBe('allowed')
    expect(await code(scope.check(path.parse(top).root, 'browse', 'folder'))).toBe('allowed')
    expect(await code(scope.check(elsewhere, 'browse', 'folder'))).toBe('forbidden')
    expect(await code(scope.check(path.join(home, '.ssh'), 'browse', 'folder'))).toBe('forbidden')
  })

  it('judges a path under a file by where it would be (the method then says it is not a folder)', async () => {
    const under = path.join(granted, 'labels.csv', 'x.csv')
    expect(await realLocation(under)).toBe(path.join(await realLocation(granted), 'labels.csv', 'x.csv'))
    expect(await code(scope.check(under, 'choose', 'file'))).toBe('allowed')
  })

  it('refuses a symlink loop with a sentence, not an exception', async () => {
    symlinkSync(path.join(granted, 'loop-b'), path.join(granted, 'loop-a'))
    symlinkSync(path.join(granted, 'loop-a'), path.join(granted, 'loop-b'))
    const err = await scope.check(path.join(granted, 'loop-a'), 'use', 'file').catch((e) => e)
    expect(err.code).toBe('io')
    expect(err.message).toMatch(/Cannot tell where .*loop-a leads \(ELOOP\)/)
  })

  it('resolves a path that does not exist yet through its nearest existing folder', async () => {
    expect(await realLocation(path.join(granted, 'out', 'a', 'b.csv'))).toBe(
      path.join(await realLocation(elsewhere), 'a', 'b.csv')
    )
  })
})
