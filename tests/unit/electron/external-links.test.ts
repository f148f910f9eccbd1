// Runs in Node (Vitest): the allow-list in front of shell.openExternal — only https links to named hosts leave
// the app — and that the main process hands URLs to openExternal nowhere else.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { EXTERNAL_LINK_HOSTS, isAllowedExternalUrl } from '../../../src/main/external-links'

const MAIN = path.resolve(__dirname, '../../../src/main')

describe('external links', () => {
  it('lets nothing out with the shipped list: the studio links nowhere', () => {
    expect(EXTERNAL_LINK_HOSTS).toEqual([])
    for (const url of ['https://example.org/', 'https://github.com/', 'http://localhost/'])
      expect(isAllowedExternalUrl(url)).toBe(false)
  })

  it('passes https on exactly a named host, and nothing that only looks like it', () => {
    const hosts = ['docs.example.org']
    expect(isAllowedExternalUrl('https://docs.example.org/guide?x=1#y', hosts)).toBe(true)
    expect(isAllowedExternalUrl('https://DOCS.example.org/', hosts)).toBe(true)
    for (const url of [
      'http://docs.example.org/',
      'https://docs.example.org.evil.test/',
      'https://evil.docs.example.org/',
      'https://docs.example.org:8443/',
      'https://user:pw@docs.example.org/',
      'https://docs.example.org./',
      'file:///etc/passwd',
      'smb://docs.example.org/share',
      'javascript:alert(1)',
      'docs.example.org',
      '',
      'https://'
    ])
      expect(isAllowedExternalUrl(url, hosts), url).toBe(false)
  })

  it('is the only way to shell.openExternal in the main process', () => {
    for (const name of readdirSync(MAIN).filter((n) => n.endsWith('.ts'))) {
      const text = readFileSync(path.join(MAIN, name), 'utf8')
      for (const line of text.split('\n').filter((l) => l.includes('openExternal(')))
        expect(line, `${name}: ${line.trim()}`).toMatch(
          /if \(isAllowedExternalUrl\(url\)\) void shell\.openExternal\(url\)/
        )
    }
  })
})
