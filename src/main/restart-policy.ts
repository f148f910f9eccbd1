// Runs in Electron's main process (pure logic, no Electron import): decides whether a backend that died should
// be started again. A backend that crashes at start (a broken install, a model that kills it on load) would
// otherwise be restarted in a tight loop forever, burning a core and flooding every window with "reconnecting".
// A few crashes close together give up; an occasional crash after a long healthy run is always restarted.

export interface RestartPolicyOptions {
  /** Restarts allowed within the window before giving up. */
  maxRestarts: number
  /** The window, in milliseconds. */
  windowMs: number
}

export const DEFAULT_RESTART_POLICY: RestartPolicyOptions = { maxRestarts: 3, windowMs: 60_000 }

export class RestartPolicy {
  private readonly crashes: number[] = []

  constructor(private readonly opts: RestartPolicyOptions = DEFAULT_RESTART_POLICY) {}

  /** Records a crash at `now` (ms); true when the backend should be started again. */
  shouldRestart(now: number): boolean {
    this.crashes.push(now)
    while (this.crashes.length && now - this.crashes[0]! > this.opts.windowMs) this.crashes.shift()
    return this.crashes.length <= this.opts.maxRestarts
  }

  /** After giving up, a person asking to reconnect starts afresh. */
  reset(): void {
    this.crashes.length = 0
  }
}
