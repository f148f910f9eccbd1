// Runs in Node (Vitest): key presses name themselves the same way whatever the layout of modifiers, and the
// keymap remaps and resets as a user expects.
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { useKeymapStore } from '../stores/keymap'
import { comboOf, keyName } from './actions'

const press = (
  key: string,
  mods: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey', boolean>> = {}
) => comboOf({ key, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods })

describe('key combos', () => {
  it('names keys canonically', () => {
    expect(press('ArrowRight')).toBe('ArrowRight')
    expect(press('ArrowRight', { shiftKey: true })).toBe('Shift+ArrowRight')
    expect(press('Z', { ctrlKey: true, shiftKey: true })).toBe('Ctrl+Shift+Z')
    expect(press('z', { ctrlKey: true })).toBe('Ctrl+z')
    expect(press('N', { shiftKey: true })).toBe('Shift+N')
    expect(press(' ')).toBe(' ')
    expect(press('?', { shiftKey: true })).toBe('?')
  })
})

describe('keymap store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('has a default for stepping and moves a key from one action to another', () => {
    const keys = useKeymapStore()
    expect(keys.actionFor('ArrowRight')).toBe('frame.next')
    keys.bind('label.invisible', 'ArrowRight')
    expect(keys.actionFor('ArrowRight')).toBe('label.invisible')
    expect(keys.bindings['frame.next']).not.toContain('ArrowRight')
    keys.reset()
    expect(keys.actionFor('ArrowRight')).toBe('frame.next')
  })

  it('binds no key to two actions by default', () => {
    const keys = useKeymapStore()
    const seen = new Map<string, string>()
    for (const [id, combos] of Object.entries(keys.bindings)) {
      for (const c of combos) {
        expect(seen.get(c), `${c} is bound to ${seen.get(c)} and ${id}`).toBeUndefined()
        seen.set(c, id)
      }
    }
  })

  it('says what a removal did and undo puts the key back', () => {
    const keys = useKeymapStore()
    keys.unbind('frame.next', 'ArrowRight')
    expect(keys.bindings['frame.next']).toEqual(['d'])
    expect(keys.lastChange?.what).toBe('Right removed from “Next frame”')
    keys.undo()
    expect(keys.bindings['frame.next']).toEqual(['ArrowRight', 'd'])
    expect(keys.actionFor('ArrowRight')).toBe('frame.next')
    expect(keys.lastChange).toBeNull()
  })

  it('says when a new key is taken from another action, and undo gives it back to both', () => {
    const keys = useKeymapStore()
    keys.bind('label.invisible', 'ArrowRight')
    expect(keys.lastChange?.what).toBe('Right moved from “Next frame” to “Mark not visible”')
    expect(keys.customised).toEqual(['frame.next', 'label.invisible'])
    keys.undo()
    expect(keys.actionFor('ArrowRight')).toBe('frame.next')
    expect(keys.bindings['label.invisible']).toEqual(['x'])
    expect(keys.customised).toEqual([])
  })

  it('undoes a reset: the custom keys come back', () => {
    const keys = useKeymapStore()
    keys.bind('label.invisible', 'q')
    keys.unbind('label.clear', 'Backspace')
    keys.reset()
    expect(keys.customised).toEqual([])
    keys.undo()
    expect(keys.bindings['label.invisible']).toEqual(['q', 'x'])
    expect(keys.bindings['label.clear']).toEqual(['Delete'])
    keys.undo()
    keys.undo()
    expect(keys.customised).toEqual([])
  })

  it('names keys for people', () => {
    expect(keyName(' ')).toBe('Space')
    expect(keyName('Shift+ArrowLeft')).toBe('Shift+Left')
    expect(keyName('Ctrl+z')).toBe('Ctrl+z')
  })
})
