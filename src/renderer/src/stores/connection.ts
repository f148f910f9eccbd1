// Runs in the renderer: whether the page is connected to the studio's backend, as its transport reports it,
// and what to tell the user about it — the banner's words, whether jobs' progress can still be trusted, and
// the Reconnect button. Views read the link only through this store.
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { ConnectionStatus, Transport } from '../api/transport'

export type BannerKind = 'error' | 'info'

export interface Banner {
  kind: BannerKind
  title: string
  detail: string
}

export const useConnectionStore = defineStore('connection', () => {
  const status = shallowRef<ConnectionStatus>({
    state: 'connected',
    reconnected: false,
    backendRestarted: false
  })
  /** The user closed the banner; it comes back at the next change of state. */
  const dismissed = ref(false)
  const canReconnect = ref(false)
  let transport: Transport | null = null
  let detach: (() => void) | null = null

  /** Follows a transport's link; one without `onStatus` cannot drop and reads as always connected. */
  function attach(t: Transport): void {
    detach?.()
    transport = t
    canReconnect.value = typeof t.reconnect === 'function'
    detach =
      t.onStatus?.((s) => {
        if (s.state !== status.value.state) dismissed.value = false
        status.value = s
      }) ?? null
  }

  /** Requests go out (or, before the first connection, wait for it). */
  const online = computed(() => status.value.state === 'connected' || status.value.state === 'connecting')
  /** The link is down: the progress of a running job shown on the page is stale and its end unknown. */
  const interrupted = computed(() => !online.value)

  const banner = computed<Banner | null>(() => {
    const s = status.value
    switch (s.state) {
      case 'connecting':
        return null
      case 'connected':
        if (!s.reconnected) return null
        return s.backendRestarted
          ? {
              kind: 'info',
              title: "The studio's backend restarted.",
              detail:
                'It forgot what was open: open the clip again from the Library. Edits refused while it was gone were not saved.'
            }
          : {
              kind: 'info',
              title: 'Connected to the studio again.',
              detail: 'Edits refused while the connection was lost were not saved; make them again.'
            }
      case 'lost':
        return {
          kind: 'error',
          title: 'Connection to the studio lost.',
          detail:
            (s.retryInMs === null
              ? `${s.reason} It is restarting.`
              : s.attempt === 0
                ? 'Reconnecting…'
                : `Reconnecting (try ${s.attempt} of ${s.maxAttempts})…`) +
            " Edits are refused until it is back; running jobs' progress is unknown."
        }
      case 'offline':
        return {
          kind: 'error',
          title: 'Connection to the studio lost.',
          detail: `Gave up trying: ${s.reason}. Start the studio again if it stopped, then press Reconnect. Edits are refused until then.`
        }
      case 'replaced':
        return {
          kind: 'error',
          title: 'The studio was restarted: open the new address it printed.',
          detail:
            'This page belongs to the studio that stopped, and the new one does not accept it. Nothing more can be saved from this page.'
        }
    }
    return null
  })

  const bannerShown = computed(() => banner.value !== null && !dismissed.value)

  /** Offered where the page itself can try again: not while connected, not when the server refused the page. */
  const reconnectOffered = computed(
    () => canReconnect.value && (status.value.state === 'lost' || status.value.state === 'offline')
  )

  function reconnect(): void {
    transport?.reconnect?.()
  }

  function dismiss(): void {
    dismissed.value = true
  }

  return {
    status,
    online,
    interrupted,
    banner,
    bannerShown,
    reconnectOffered,
    attach,
    reconnect,
    dismiss
  }
})
