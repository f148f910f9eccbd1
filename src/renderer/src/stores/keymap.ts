// Runs in the renderer: the user's key bindings — the defaults of keys/actions.ts, remapped as the user
// likes and kept in the browser's storage.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { ACTION_IDS, ACTIONS, type ActionId } from '../keys/actions'

const STORAGE_KEY = 'shuttle-studio-keymap-v1'

/** The browser's localStorage where there is one (not in store tests under Node). */
const storage = (
  globalThis as { localStorage?: { getItem(k: string): string | null; setItem(k: string, v: string): void } }
).localStorage

function defaults(): Record<ActionId, string[]> {
  return Object.fromEntries(ACTION_IDS.map((id) => [id, [...ACTIONS[id].keys]])) as Record<ActionId, string[]>
}

function load(): Record<ActionId, string[]> {
  const base = defaults()
  try {
    const saved = JSON.parse(storage?.getItem(STORAGE_KEY) ?? '{}') as Record<string, unknown>
    for (const id of ACTION_IDS) {
      const keys = saved[id]
      if (Array.isArray(keys) && keys.every((k) => typeof k === 'string')) base[id] = keys as string[]
    }
  } catch {
    // A damaged entry falls back to the defaults rather than leaving the user without keys.
  }
  return base
}

export const useKeymapStore = defineStore('keymap', () => {
  const bindings = ref(load())
  const byCombo = computed(() => {
    const map = new Map<string, ActionId>()
    for (const id of ACTION_IDS) for (const k of bindings.value[id]) map.set(k, id)
    return map
  })

  function save(): void {
    storage?.setItem(STORAGE_KEY, JSON.stringify(bindings.value))
  }

  /** Binds a key to an action; the key leaves any other action it was bound to. */
  function bind(action: ActionId, combo: string): void {
    const next = { ...bindings.value }
    for (const id of ACTION_IDS) next[id] = next[id].filter((k) => k !== combo)
    next[action] = [combo, ...next[action]]
    bindings.value = next
    save()
  }

  function unbind(action: ActionId, combo: string): void {
    bindings.value = { ...bindings.value, [action]: bindings.value[action].filter((k) => k !== combo) }
    save()
  }

  function reset(): void {
    bindings.value = defaults()
    save()
  }

  function actionFor(combo: string): ActionId | undefined {
    return byCombo.value.get(combo)
  }

  return { bindings, bind, unbind, reset, actionFor }
})
