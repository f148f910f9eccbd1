// Runs in the renderer's preload (sandboxed, context-isolated): exposes exactly the API contract's methods
// and events to the page, plus the native open-video dialog and the disk path of a dropped file — nothing
// else of Electron or Node.
// Requests travel on a MessagePort straight to the backend's utilityProcess (the main process only wires it).
import { contextBridge, ipcRenderer, webUtils } from 'electron'
import { eventNames, isEventName, methodNames, type MethodName } from '../shared/api/contract'
import { ServerMessage } from '../shared/api/wire'
import type { ShuttleBridge } from './bridge'

type Pending = {
  resolve: (v: unknown) => void
  reject: (e: unknown) => void
  method: string
  params: unknown
}

let port: MessagePort | null = null

let nextId = 1
const pending = new Map<number, Pending>()
const listeners = new Map<string, Set<(payload: unknown) => void>>()

ipcRenderer.on('backend-port', (event) => {
  const fresh = event.ports[0]
  if (!fresh) return
  port?.close()
  port = fresh
  port.onmessage = (e) => onMessage(e.data)
  port.start()
  // Requests that were in flight when the backend restarted are sent again on the new port.
  for (const [id, p] of pending) port.postMessage({ type: 'request', id, method: p.method, params: p.params })
})

function onMessage(data: unknown): void {
  const msg = ServerMessage.safeParse(data)
  if (!msg.success) return
  if (msg.data.type === 'event') {
    for (const l of listeners.get(msg.data.event) ?? []) l(msg.data.payload)
    return
  }
  const p = pending.get(msg.data.id)
  if (!p) return
  pending.delete(msg.data.id)
  if (msg.data.ok) p.resolve(msg.data.result)
  else p.reject(Object.assign(new Error(msg.data.error.message), { code: msg.data.error.code }))
}

function invoke(method: MethodName, params: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const id = nextId++
    pending.set(id, { resolve, reject, method, params })
    port?.postMessage({ type: 'request', id, method, params })
  })
}

const api = Object.fromEntries(methodNames.map((m) => [m, (params: unknown) => invoke(m, params)]))

const bridge: ShuttleBridge = {
  api: api as ShuttleBridge['api'],
  events: eventNames,
  on(event, listener) {
    if (!isEventName(event)) throw new Error(`Unknown event ${String(event)}`)
    const set = listeners.get(event) ?? new Set()
    set.add(listener as (p: unknown) => void)
    listeners.set(event, set)
    return () => set.delete(listener as (p: unknown) => void)
  },
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
