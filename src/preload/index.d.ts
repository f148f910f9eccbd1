// Runs in the renderer (types only): `window.shuttle` exists in the desktop app, not in browser mode.
import type { ShuttleBridge } from './bridge'

declare global {
  interface Window {
    shuttle?: ShuttleBridge
  }
}
export {}
