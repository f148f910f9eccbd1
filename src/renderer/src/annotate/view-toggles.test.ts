// Runs in Node (Vitest): the frame view's toggles start at the defaults a new user needs, come back as they were
// left after a reload (the browser's storage), and survive a damaged entry.
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  DEFAULT_TOGGLES,
  parseToggles,
  TOGGLE_IDS,
  TOGGLES,
  TOGGLES_STORAGE_KEY,
  useViewTogglesStore
} from './view-toggles'
import { ACTIONS } from '../keys/actions'

describe('parseToggles', () => {
  it('gives the defaults for nothing saved or a damaged entry', () => {
    expect(parseToggles(null)).toEqual(DEFAULT_TOGGLES)
    expect(parseToggles('{not json')).toEqual(DEFAULT_TOGGLES)
    expect(parseToggles('[1,2]')).toEqual(DEFAULT_TOGGLES)
    expect(parseToggles('null')).toEqual(DEFAULT_TOGGLES)
  })

  it('takes each saved boolean and ignores anything else', () => {
    const t = parseToggles(JSON.stringify({ loupe: false, snap: true, motion: 'yes', extra: true }))
    expect(t).toEqual({ ...DEFAULT_TOGGLES, loupe: false, snap: true })
  })

  it('names a real action for every toggle with a key', () => {
    for (const id of TOGGLE_IDS) {
      const action = TOGGLES[id].action
      if (action) expect(ACTIONS[action].keys.length).toBeGreaterThan(0)
    }
  })
})

describe('view toggles store', () => {
  const saved = new Map<string, string>()
  const g = globalThis as { localStorage?: unknown }

  beforeEach(() => {
    saved.clear()
    g.localStorage = {
      getItem: (k: string) => saved.get(k) ?? null,
      setItem: (k: string, v: string) => void saved.set(k, v)
    }
    setActivePinia(createPinia())
  })
  afterEach(() => {
    delete g.localStorage
  })

  it('shows the loupe to a new user, so its key turns it off rather than on', () => {
    const toggles = useViewTogglesStore()
    expect(toggles.on.loupe).toBe(true)
    toggles.toggle('loupe')
    expect(toggles.on.loupe).toBe(false)
    toggles.toggle('loupe')
    expect(toggles.on.loupe).toBe(true)
  })

  it('comes back after a reload as it was left', () => {
    const first = useViewTogglesStore()
    first.toggle('motion')
    first.toggle('trail')
    first.set('snap', true)
    expect(JSON.parse(saved.get(TOGGLES_STORAGE_KEY)!)).toMatchObject({
      motion: true,
      trail: false,
      snap: true
    })

    setActivePinia(createPinia())
    const reloaded = useViewTogglesStore()
    expect(reloaded.on).toEqual({ ...DEFAULT_TOGGLES, motion: true, trail: false, snap: true })
  })

  it('keeps working for the session when the storage refuses to write', () => {
    g.localStorage = {
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceededError')
      }
    }
    const toggles = useViewTogglesStore()
    toggles.toggle('onion')
    expect(toggles.on.onion).toBe(false)
  })
})
