// Runs in the renderer: Escape closes what is open — a view registers the thing (sheet, dialog, banner,
// question) while `isOpen` says it is, and the window's one Escape listener closes the one opened last
// (escape-stack.ts). The listener runs before the views' own key handlers and stops the key there, so one
// Escape never both closes a dialog and clears the selection under it.
import { onBeforeUnmount, watch } from 'vue'
import { createEscapeStack, type Close } from './escape-stack'

const stack = createEscapeStack()
let listening = false

function onKey(e: KeyboardEvent): void {
  if (e.key !== 'Escape' || e.defaultPrevented || !stack.closeTop()) return
  e.preventDefault()
  e.stopImmediatePropagation()
}

export function useEscape(isOpen: () => boolean, close: Close): void {
  if (!listening) {
    // Capture on the window: before any other listener, including a focused field's own.
    window.addEventListener('keydown', onKey, true)
    listening = true
  }
  let off: (() => void) | null = null
  // Escape took it off the stack; where closing left it open (a parent that keeps it), it goes back on.
  const closeOnce = (): void => {
    off = null
    close()
    if (isOpen() && !off) off = stack.open(closeOnce)
  }
  const stop = watch(
    isOpen,
    (open) => {
      if (open && !off) off = stack.open(closeOnce)
      else if (!open && off) {
        off()
        off = null
      }
    },
    { immediate: true }
  )
  onBeforeUnmount(() => {
    stop()
    off?.()
    off = null
  })
}
