// Runs in the renderer: how a button's action ends for the user — on success any earlier error notice goes
// away, on failure the error is shown in the app's notice rather than lost in an unhandled rejection.
import { useAppStore } from '../stores/app'

/** Returns `act(fn)`: runs fn, clears the notice when it succeeds, reports its error when it fails. */
export function useReportedAction(): (fn: () => Promise<unknown>) => Promise<void> {
  const app = useAppStore()
  return async (fn) => {
    try {
      await fn()
      app.dismiss()
    } catch (err) {
      app.report(err)
    }
  }
}
