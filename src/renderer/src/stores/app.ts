// Runs in the renderer: the app-wide facts (host, version, ffmpeg) and the message bar.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { Result } from '@shared/api/contract'
import { useBackendEvents } from '../composables/useBackendEvents'
import { useClient } from './client'

export type Notice = { kind: 'error' | 'info'; text: string }

export const useAppStore = defineStore('app', () => {
  const info = ref<Result<'app.info'> | null>(null)
  const notice = ref<Notice | null>(null)
  const events = useBackendEvents((client) => [
    client.on('video.state', (e) => {
      if (e.state === 'missing' && e.message) notice.value = { kind: 'error', text: e.message }
    })
  ])

  async function load(): Promise<void> {
    events.listen()
    try {
      info.value = await useClient().call('app.info', {})
      if (info.value.ffmpegProblem) notice.value = { kind: 'error', text: info.value.ffmpegProblem }
    } catch (err) {
      notice.value = { kind: 'error', text: `Cannot reach the studio's backend: ${(err as Error).message}` }
    }
  }

  function report(err: unknown): void {
    notice.value = { kind: 'error', text: err instanceof Error ? err.message : String(err) }
  }

  function dismiss(): void {
    notice.value = null
  }

  return { info, notice, load, report, dismiss, dispose: events.dispose }
})
