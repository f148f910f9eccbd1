// Runs in Electron's utilityProcess (plain Node APIs, no `electron` import): the desktop app's backend.
// The main process hands over a MessagePort wired to the renderer; requests arrive and responses and
// events leave on it, so decoding and inference never touch the main process. Frame bytes for the custom
// protocol are asked for by the main process over the parent port.
import { dispatch } from '../rpc/dispatch'
import { createBackend, type Backend } from '../services'
import { studioCacheDir } from '../app-paths'
import { answerFrameRequest, FromMain } from '../../shared/api/frame-channel'

interface PortLike {
  on(event: 'message', listener: (e: { data: unknown }) => void): void
  postMessage(message: unknown): void
  start(): void
  close(): void
}
interface ParentPortLike {
  on(event: 'message', listener: (e: { data: unknown; ports: PortLike[] }) => void): void
  postMessage(message: unknown): void
}

const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort
if (!parentPort) throw new Error('This entry runs only inside an Electron utilityProcess.')

const ready: Promise<Backend> = createBackend({
  host: 'electron',
  version: process.env.SHUTTLE_VERSION ?? 'dev',
  cacheDir: studioCacheDir(),
  ffmpegSetting: process.env.SHUTTLE_FFMPEG_SETTING || null,
  demoVideo: process.env.SHUTTLE_DEMO_VIDEO || null
})

const ports = new Set<PortLike>()

// Requests are answered with errors, never rejected (dispatch, answerFrameRequest): what rejects here is a
// backend that could not start or a reply that cannot be sent. Either ends this process with the reason, and
// the main process restarts it (restart-policy.ts), as an unhandled rejection did, but said on purpose.
function fatal(err: unknown): never {
  console.error(`The backend stopped: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`)
  process.exit(1)
}

parentPort.on('message', (e) => {
  void (async () => {
    const msg = FromMain.safeParse(e.data)
    if (!msg.success) return
    const backend = await ready
    if (msg.data.type === 'port') {
      const port = e.ports[0]
      if (port) wirePort(port, backend)
      return
    }
    parentPort.postMessage(
      await answerFrameRequest(
        msg.data,
        (id, n) => backend.frame(id, n),
        (id, n) => backend.framePreview(id, n)
      )
    )
  })().catch(fatal)
})

function wirePort(port: PortLike, backend: Backend): void {
  ports.add(port)
  const unsubscribe = backend.events.subscribe((m) => port.postMessage(m))
  port.on('message', (e) => {
    void dispatch(backend.handlers, e.data)
      .then((reply) => port.postMessage(reply))
      .catch(fatal)
  })
  port.start()
  // A reload of the window brings a new port; the old one's listeners must not pile up.
  ;(port as unknown as { on(ev: 'close', l: () => void): void }).on('close', () => {
    unsubscribe()
    ports.delete(port)
  })
}
