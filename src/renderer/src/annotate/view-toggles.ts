// Runs in the renderer: the frame view's on/off aids — loupe, onion skin, trail, motion view, snapping, and the
// list of frames that need a look — in one place, so the toolbar's pressed buttons and the keys change the same
// state. Kept in the browser's storage: a studio reopened looks as it was left.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ActionId } from '../keys/actions'

export const TOGGLE_IDS = ['loupe', 'onion', 'trail', 'motion', 'snap', 'triage'] as const
export type ToggleId = (typeof TOGGLE_IDS)[number]
export type Toggles = Record<ToggleId, boolean>

/** What each toggle is called on its button, what it does, and the action whose key flips it (if any). */
export const TOGGLES: Record<ToggleId, { label: string; title: string; action: ActionId | null }> = {
  loupe: { label: 'loupe', title: 'A magnified view around the cursor', action: 'view.loupe' },
  onion: { label: 'onion skin', title: 'The labels of the 5 frames before and after', action: 'view.onion' },
  trail: { label: 'trail', title: 'The trajectory drawn through the labelled frames', action: 'view.trail' },
  motion: {
    label: 'motion view',
    title: 'What moved against the video’s still background (the shuttle stands out)',
    action: 'view.motion'
  },
  snap: {
    label: 'snap',
    title: "Snap clicks to the shuttle nearby: the model's point, else the motion peak",
    action: 'label.snap'
  },
  triage: { label: 'look list', title: 'The list of frames that need a look, and why', action: null }
}

/**
 * A new user sees the aids that help at once (the loupe for the exact pixel, the neighbours' labels and the
 * trail for the flight, the list of what to look at) and none that change what a click does (snapping) or
 * repaint the frame (the motion view).
 */
export const DEFAULT_TOGGLES: Readonly<Toggles> = {
  loupe: true,
  onion: true,
  trail: true,
  motion: false,
  snap: false,
  triage: true
}

export const TOGGLES_STORAGE_KEY = 'shuttle-studio.view-toggles'

/** The saved toggles over the defaults; anything unreadable or not a boolean keeps its default. */
export function parseToggles(saved: string | null): Toggles {
  const out = { ...DEFAULT_TOGGLES }
  try {
    const value = JSON.parse(saved ?? '{}') as unknown
    if (value && typeof value === 'object') {
      for (const id of TOGGLE_IDS) {
        const v = (value as Record<string, unknown>)[id]
        if (typeof v === 'boolean') out[id] = v
      }
    }
  } catch {
    // A damaged entry gives the defaults: the view must open whatever the storage holds.
  }
  return out
}

interface Storage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
}
/** The browser's localStorage where there is one (store tests under Node may put their own in place). */
const storage = (): Storage | undefined => (globalThis as { localStorage?: Storage }).localStorage

export const useViewTogglesStore = defineStore('view-toggles', () => {
  const on = ref<Toggles>(parseToggles(storage()?.getItem(TOGGLES_STORAGE_KEY) ?? null))

  function set(id: ToggleId, value: boolean): void {
    on.value = { ...on.value, [id]: value }
    try {
      storage()?.setItem(TOGGLES_STORAGE_KEY, JSON.stringify(on.value))
    } catch {
      // Storage full or refused (a private window): the toggle still works for this session.
    }
  }

  const toggle = (id: ToggleId): void => set(id, !on.value[id])

  return { on, set, toggle }
})
