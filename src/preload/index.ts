// Runs in the renderer's preload (sandboxed, context-isolated): exposes exactly the API contract's methods
// and events to the page, plus the native open-video dialog and the disk path of a dropped file — nothing
// else of Electron or Node.
// Requests travel on a MessagePort straight to the backend's utilityProcess (the main process only wires it).
import { contextBridge, ipcRenderer, webUtils } from 'electron'
import { eventNames, isEventName, methodNames, type MethodName } from '../shared/api/contract'
import { ServerMessage } from '../shared/api/wire'
import type { BridgeConnection, ShuttleBridge } from './bridge'

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

const connectionListeners = new Set<(change: BridgeConnection) => void>()
/** Why the backend is gone, while it is; requests are refused meanwhile rather than left waiting. */
let lost: string | null = null

ipcRenderer.on('backend-lost', (_event, message: unknown) => {
  lost = typeof message === 'string' ? message : "The studio's backend stopped."
  port?.close()
  port = null
  // Sent but unanswered: the dead process may or may not have done them, so they fail rather than run twice.
  for (const [id, p] of pending) {
    pending.delete(id)
    p.reject(Object.assign(new Error(`No answer: ${lost}`), { code: 'connection-lost' }))
  }
  for (const l of connectionListeners) l({ state: 'lost', message: lost })
})

ipcRenderer.on('backend-port', (event) => {
  const fresh = event.ports[0]
  if (!fresh) return
  const restored = port !== null || lost !== null
  port?.close()
  port = fresh
  lost = null
  port.onmessage = (e) => onMessage(e.data)
  port.start()
  // Requests made before the first port arrived wait for it.
  for (const [id, p] of pending) port.postMessage({ type: 'request', id, method: p.method, params: p.params })
  if (restored) for (const l of connectionListeners) l({ state: 'restored' })
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
  if (lost !== null)
    return Promise.reject(Object.assign(new Error(`Not sent: ${lost}`), { code: 'not-connected' }))
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
  onConnection(listener) {
    connectionListeners.add(listener)
    return () => connectionListeners.delete(listener)
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
