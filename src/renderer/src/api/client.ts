// Runs in the renderer: the one typed client of the backend, built from the contract. Results and events are
// validated on arrival, so a view can trust every value it gets.
import {
  events,
  methods,
  type EventName,
  type EventPayload,
  type MethodName,
  type Params,
  type Result
} from '@shared/api/contract'
import { describeIssues } from '@shared/api/errors'
import { RequestError, type Transport } from './transport'

export class StudioClient {
  constructor(readonly transport: Transport) {}

  async call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
    const raw = await this.transport.request(method, params)
    const parsed = methods[method].result.safeParse(raw)
    if (!parsed.success) {
      throw new RequestError(
        'internal',
        `${method}: unexpected reply (${describeIssues(parsed.error.issues)})`
      )
    }
    return parsed.data as Result<M>
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.transport.on(event, (raw) => {
      const parsed = events[event].safeParse(raw)
      if (parsed.success) listener(parsed.data as EventPayload<E>)
    })
  }

  frameUrl(videoId: string, frame: number, preview = false): string {
    return this.transport.frameUrl(videoId, frame, preview)
  }
}
