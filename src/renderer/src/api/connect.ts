// Runs in the renderer: picks the transport for the host the page runs in — the preload bridge inside the
// desktop app, the WebSocket (token from the URL, then kept in sessionStorage) in browser mode.
import { StudioClient } from './client'
import { BridgeTransport } from './bridge-transport'
import { WebSocketTransport } from './ws-transport'
import { xhrVideoUploader } from './xhr-upload'

const TOKEN_KEY = 'shuttle-studio-token'

export function connect(): StudioClient {
  if (window.shuttle) return new StudioClient(new BridgeTransport(window.shuttle))
  const url = new URL(window.location.href)
  const fromUrl = url.searchParams.get('token')
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl)
    // The token leaves the address bar so it is not shared by a screenshot or a copied link.
    url.searchParams.delete('token')
    history.replaceState(null, '', url.pathname + url.search + url.hash)
  }
  const token = fromUrl ?? sessionStorage.getItem(TOKEN_KEY) ?? ''
  const origin = window.location.origin
  return new StudioClient(
    new WebSocketTransport(origin, token, { uploadVideo: xhrVideoUploader(origin, token) })
  )
}
