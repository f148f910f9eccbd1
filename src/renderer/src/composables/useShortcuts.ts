// Runs in the renderer: turns key presses into studio actions through the user's keymap. A view registers
// the actions it handles while it is mounted; keys act on the window unless the user is typing in a field.
import { onBeforeUnmount, onMounted } from 'vue'
import { comboOf, type ActionId } from '../keys/actions'
import { useKeymapStore } from '../stores/keymap'

export type ActionHandlers = Partial<Record<ActionId, () => void>>

/** Whether a key goes to a text field (not to the shortcuts); the scrubber, a range input, is no text field. */
export function typingIn(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null
  if (!el) return false
  if (el.tagName === 'TEXTAREA' || el.isContentEditable) return true
  return el.tagName === 'INPUT' && (el as HTMLInputElement).type !== 'range'
}

export function useShortcuts(handlers: ActionHandlers): void {
  const keymap = useKeymapStore()
  const onKey = (e: KeyboardEvent): void => {
    if (typingIn(e.target) || e.defaultPrevented) return
    const action = keymap.actionFor(comboOf(e))
    const run = action ? handlers[action] : undefined
    if (!run) return
    e.preventDefault()
    run()
  }
  onMounted(() => window.addEventListener('keydown', onKey))
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey))
}
