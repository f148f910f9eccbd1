// Runs in the renderer: the one backend client every store uses, provided once at start-up (and replaced by a
// fake in store tests).
import type { StudioClient } from '../api/client'

let current: StudioClient | null = null

export function provideClient(client: StudioClient): void {
  current = client
}

export function useClient(): StudioClient {
  if (!current) throw new Error('The backend client is not provided yet.')
  return current
}
