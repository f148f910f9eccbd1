// Runs in the backend (plain Node): pushed events, validated against the contract before they are sent,
// fanned out to every connected client (browser tabs, the Electron window).
import { events, type EventName, type EventPayload } from '../../shared/api/contract'
import type { EventMessage } from '../../shared/api/wire'

type Listener = (message: EventMessage) => void

export class EventBus {
  private readonly listeners = new Set<Listener>()

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    const checked = events[event].parse(payload)
    const message: EventMessage = { type: 'event', event, payload: checked }
    for (const l of this.listeners) l(message)
  }
}
