// Runs in Electron's main process: native dialogs the renderer may ask for, through the preload. Input is
// checked: only known windows may ask, and only for what is listed here.
import { BrowserWindow, dialog, ipcMain } from 'electron'
import { VIDEO_EXTENSIONS } from '../shared/project/video-files'

// The project's own list (src/shared/project/video-files.ts), so the dialog offers what a project can hold.
export const VIDEO_FILTERS = [
  { name: 'Videos', extensions: VIDEO_EXTENSIONS.map((e) => e.slice(1)) },
  { name: 'All files', extensions: ['*'] }
]

export function registerDialogs(isTrustedSender: (url: string) => boolean): void {
  ipcMain.handle('dialog:open-video', async (event) => {
    if (!isTrustedSender(event.senderFrame?.url ?? ''))
      throw new Error('Refused: request from an unknown page.')
    const win = BrowserWindow.fromWebContents(event.sender)
    const options = { properties: ['openFile' as const], filters: VIDEO_FILTERS }
    const res = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options)
    return res.canceled ? null : (res.filePaths[0] ?? null)
  })
}
