// Runs in the renderer: the one way a store listens to the backend's events. The store names its
// subscriptions once; `listen()` makes them (a second call does nothing) and returns `dispose`, which drops
// them all. Made inside a store's setup, they also end with the store (store.$dispose(), and disposePinia()
// when the app tears down: main.ts), so a store never leaves a listener behind on the shared client.
import { getCurrentScope, onScopeDispose } from 'vue'
import type { StudioClient } from '../api/client'
import { useClient } from '../stores/client'

export interface BackendEvents {
  /** Subscribes, unless already subscribed; returns `dispose`. */
  listen(): () => void
  /** Drops every subscription; a later `listen()` subscribes again. */
  dispose(): void
}

export function useBackendEvents(subscribe: (client: StudioClient) => (() => void)[]): BackendEvents {
  let unsubscribes: (() => void)[] | null = null
  function dispose(): void {
    const current = unsubscribes ?? []
    unsubscribes = null
    for (const unsubscribe of current) unsubscribe()
  }
  if (getCurrentScope()) onScopeDispose(dispose)
  return {
    listen() {
      unsubscribes ??= subscribe(useClient())
      return dispose
    },
    dispose
  }
}
