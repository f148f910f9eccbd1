// Runs in the renderer: the user's key bindings — the defaults of keys/actions.ts, remapped as the user
// likes and kept in the browser's storage. Every change (add, remove, a key taken from another action, a
// reset) says what it did and can be undone, so no binding is ever lost without the user seeing it.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { ACTION_IDS, ACTIONS, keyName, type ActionId } from '../keys/actions'

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

type Bindings = Record<ActionId, string[]>

/** One change, in words, with the bindings before it (what Undo puts back). */
export interface KeymapChange {
  what: string
  before: Bindings
}

/** The actions whose keys differ from their defaults. */
export function customisedActions(b: Bindings): ActionId[] {
  return ACTION_IDS.filter((id) => b[id].join('\n') !== ACTIONS[id].keys.join('\n'))
}

export const useKeymapStore = defineStore('keymap', () => {
  const bindings = ref<Bindings>(load())
  /** Changes made since the studio started, newest last. */
  const history = ref<KeymapChange[]>([])
  const lastChange = computed(() => history.value.at(-1) ?? null)
  const customised = computed(() => customisedActions(bindings.value))
  const byCombo = computed(() => {
    const map = new Map<string, ActionId>()
    for (const id of ACTION_IDS) for (const k of bindings.value[id]) map.set(k, id)
    return map
  })

  function save(): void {
    storage?.setItem(STORAGE_KEY, JSON.stringify(bindings.value))
  }

  function change(what: string, next: Bindings): void {
    history.value = [...history.value, { what, before: bindings.value }]
    bindings.value = next
    save()
  }

  /** Binds a key to an action; the key leaves any other action it was bound to (and the change says so). */
  function bind(action: ActionId, combo: string): void {
    if (bindings.value[action].includes(combo)) return
    const from = ACTION_IDS.find((id) => bindings.value[id].includes(combo))
    const next = { ...bindings.value }
    for (const id of ACTION_IDS) next[id] = next[id].filter((k) => k !== combo)
    next[action] = [combo, ...next[action]]
    const key = keyName(combo)
    change(
      from
        ? `${key} moved from “${ACTIONS[from].label}” to “${ACTIONS[action].label}”`
        : `${key} added to “${ACTIONS[action].label}”`,
      next
    )
  }

  function unbind(action: ActionId, combo: string): void {
    if (!bindings.value[action].includes(combo)) return
    const left = bindings.value[action].filter((k) => k !== combo)
    change(
      `${keyName(combo)} removed from “${ACTIONS[action].label}”${left.length ? '' : ' (it has no key now)'}`,
      { ...bindings.value, [action]: left }
    )
  }

  function reset(): void {
    change('Every key reset to its default', defaults())
  }

  /** Puts back the bindings from before the last change. */
  function undo(): void {
    const last = history.value.at(-1)
    if (!last) return
    history.value = history.value.slice(0, -1)
    bindings.value = last.before
    save()
  }

  function actionFor(combo: string): ActionId | undefined {
    return byCombo.value.get(combo)
  }

  return { bindings, history, lastChange, customised, bind, unbind, reset, undo, actionFor }
})
