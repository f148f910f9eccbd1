// Runs in Electron's main process: thin by design — lifecycle, the window, protocols, dialogs and starting
// the backend. It never decodes, infers or parses big files (those run in the backend's utilityProcess).
import { app, BrowserWindow, dialog } from 'electron'
import path from 'node:path'
import { BackendProcess } from './backend-process'
import { registerDialogs } from './dialogs'
import { APP_ORIGIN, handleProtocols, registerSchemes } from './protocols'
import { hardenContents } from './security'

registerSchemes()

const devUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined
const isAppUrl = (url: string): boolean =>
  url.startsWith(APP_ORIGIN + '/') || (!!devUrl && url.startsWith(devUrl))
hardenContents(isAppUrl)

const backend = new BackendProcess({
  SHUTTLE_VERSION: app.getVersion(),
  SHUTTLE_DEMO_VIDEO: process.env.SHUTTLE_DEMO_VIDEO ?? ''
})

function createWindow(): void {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    show: false,
    title: 'Shuttle Studio',
    backgroundColor: '#15171c',
    webPreferences: {
      preload: path.join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false
    }
  })
  win.once('ready-to-show', () => win.show())
  win.webContents.on('did-finish-load', () => backend.connect(win.webContents))
  if (devUrl) void win.loadURL(devUrl)
  else void win.loadURL(`${APP_ORIGIN}/index.html`)
}

app
  .whenReady()
  .then(() => {
    handleProtocols(path.join(__dirname, '../renderer'), backend)
    registerDialogs(isAppUrl)
    backend.start()
    createWindow()
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow()
    })
  })
  .catch((err: unknown) => {
    // Without this the app would go on running with no window and no word of why.
    dialog.showErrorBox('Shuttle Studio cannot start', err instanceof Error ? err.message : String(err))
    app.exit(1)
  })

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})
app.on('before-quit', () => backend.stop())
