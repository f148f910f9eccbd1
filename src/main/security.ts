// Runs in Electron's main process: the window-level guards of the security checklist — no navigation
// away from the app, no new windows, no permission prompts, no webviews.
import { app, session, shell, type WebContents } from 'electron'
import { isAllowedExternalUrl } from './external-links'

export function hardenContents(isAppUrl: (url: string) => boolean): void {
  app.on('web-contents-created', (_e, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault()
    })
    contents.on('will-attach-webview', (event) => event.preventDefault())
    contents.setWindowOpenHandler(({ url }) => {
      // Allowed links (https, named hosts: external-links.ts) open in the user's browser, never inside the app.
      if (isAllowedExternalUrl(url)) void shell.openExternal(url)
      return { action: 'deny' }
    })
  })
  void app.whenReady().then(() => {
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  })
}
