// Runs in the renderer's preload (sandboxed, context-isolated): exposes exactly the API contract's methods
// and events to the page, plus the native open-video dialog and the disk path of a dropped file — nothing
// else of Electron or Node.
// Requests travel on a MessagePort straight to the backend's utilityProcess (the main process only wires it);
// the main process says when that process died, and the link (backend-link.ts) fails what was in flight.
import { contextBridge, ipcRenderer, webUtils } from 'electron'
import { eventNames, isEventName, methodNames } from '../shared/api/contract'
import { BackendLink } from './backend-link'
import type { ShuttleBridge } from './bridge'

const link = new BackendLink()

ipcRenderer.on('backend-lost', (_event, message: unknown) => {
  link.lost(typeof message === 'string' ? message : "The studio's backend stopped.")
})

ipcRenderer.on('backend-port', (event) => {
  const fresh = event.ports[0]
  if (!fresh) return
  link.attach(fresh)
  fresh.onmessage = (e) => link.receive(e.data)
  fresh.start()
})

const api = Object.fromEntries(methodNames.map((m) => [m, (params: unknown) => link.invoke(m, params)]))

const bridge: ShuttleBridge = {
  api: api as ShuttleBridge['api'],
  events: eventNames,
  on(event, listener) {
    if (!isEventName(event)) throw new Error(`Unknown event ${String(event)}`)
    return link.on(event, listener as (p: unknown) => void)
  },
  onConnection: (listener) => link.onConnection(listener),
  pickVideo: () => ipcRenderer.invoke('dialog:open-video') as Promise<string | null>,
  pathForFile: (file) => {
    // webUtils throws for anything but a File: the page gets '' (no path) rather than an exception.
    try {
      return webUtils.getPathForFile(file)
    } catch {
      return ''
    }
  },
  frameBase: 'studio://frames'
}

contextBridge.exposeInMainWorld('shuttle', bridge)
