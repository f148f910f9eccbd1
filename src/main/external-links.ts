// Runs in Electron's main process (pure, no Electron import, so it is tested in plain Node): which links may
// leave the app for the user's browser through shell.openExternal. openExternal hands a URL to the operating
// system, which runs whatever is registered for its scheme (file:, smb:, custom handlers), so only https links
// to hosts named here pass. Nothing in the studio links out today: the list is empty, and every window.open is
// denied. A host added here must be one the project controls or trusts (its documentation, say).
export const EXTERNAL_LINK_HOSTS: readonly string[] = []

/**
 * True when `url` is an https URL on exactly one of `hosts` (no subdomains, no user:password@, the default
 * port): the only URLs handed to shell.openExternal.
 */
export function isAllowedExternalUrl(url: string, hosts: readonly string[] = EXTERNAL_LINK_HOSTS): boolean {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return false
  }
  if (u.protocol !== 'https:') return false
  if (u.username !== '' || u.password !== '' || u.port !== '') return false
  return hosts.some((h) => h.toLowerCase() === u.hostname)
}
