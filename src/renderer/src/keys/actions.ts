// Runs in the renderer: every keyboard action of the studio with its default keys and the words the cheat
// sheet shows. Keys are data so users can remap them (stores/keymap.ts) and the sheet is never out of date.
export const ACTIONS = {
  'frame.next': { label: 'Next frame', group: 'Navigate', keys: ['ArrowRight', 'd'] },
  'frame.prev': { label: 'Previous frame', group: 'Navigate', keys: ['ArrowLeft', 'a'] },
  'frame.next10': { label: '10 frames forward', group: 'Navigate', keys: ['Shift+ArrowRight', 'Shift+D'] },
  'frame.prev10': { label: '10 frames back', group: 'Navigate', keys: ['Shift+ArrowLeft', 'Shift+A'] },
  'frame.first': { label: 'First frame', group: 'Navigate', keys: ['Home'] },
  'frame.last': { label: 'Last frame', group: 'Navigate', keys: ['End'] },
  'play.toggle': { label: 'Play / pause', group: 'Navigate', keys: [' '] },
  'triage.next': { label: 'Next frame that needs a look', group: 'Navigate', keys: ['n'] },
  'triage.prev': { label: 'Previous frame that needs a look', group: 'Navigate', keys: ['Shift+N'] },
  'label.place': { label: 'Place the shuttle at the cursor', group: 'Label', keys: ['f'] },
  'label.invisible': { label: 'Mark not visible', group: 'Label', keys: ['x'] },
  'label.accept': { label: "Accept the model's point and go on", group: 'Label', keys: ['Enter', 'e'] },
  'label.acceptRun': {
    label: 'Accept the whole confident run',
    group: 'Label',
    keys: ['Shift+Enter', 'Shift+E']
  },
  'label.verify': { label: 'Mark verified and go on', group: 'Label', keys: ['v'] },
  'label.clear': { label: 'Clear the label', group: 'Label', keys: ['Delete', 'Backspace'] },
  'label.snap': {
    label: "Snap clicks to the shuttle (the model's point, else the motion peak) on / off",
    group: 'Label',
    keys: ['s']
  },
  'edit.undo': { label: 'Undo', group: 'Label', keys: ['Ctrl+z', 'Meta+z'] },
  'edit.redo': { label: 'Redo', group: 'Label', keys: ['Ctrl+Shift+Z', 'Ctrl+y', 'Meta+Shift+Z'] },
  'range.interpolate': { label: 'Interpolate the selected range', group: 'Range', keys: ['i'] },
  'range.invisible': { label: 'Mark the selected range not visible', group: 'Range', keys: ['Shift+X'] },
  'range.accept': { label: 'Accept the selected range', group: 'Range', keys: ['Shift+V'] },
  'range.clear': {
    label: 'Clear the selected range',
    group: 'Range',
    keys: ['Shift+Delete', 'Shift+Backspace']
  },
  'view.loupe': { label: 'Loupe on / off', group: 'View', keys: ['l'] },
  'view.onion': { label: 'Onion skin on / off', group: 'View', keys: ['o'] },
  'view.motion': { label: 'Motion view on / off', group: 'View', keys: ['m'] },
  'view.trail': { label: 'Trajectory trail on / off', group: 'View', keys: ['t'] },
  'view.zoomIn': { label: 'Zoom in at the cursor (or the wheel)', group: 'View', keys: ['+', '='] },
  'view.zoomOut': { label: 'Zoom out', group: 'View', keys: ['-'] },
  'view.zoomReset': { label: 'Fit the frame', group: 'View', keys: ['0'] },
  'help.keys': { label: 'Show / hide the keys', group: 'View', keys: ['?'] }
} as const satisfies Record<string, { label: string; group: string; keys: readonly string[] }>

export type ActionId = keyof typeof ACTIONS
export const ACTION_IDS = Object.keys(ACTIONS) as ActionId[]

/** The canonical name of a key press: modifiers in a fixed order, then the key ("Ctrl+Shift+Z"). */
export interface KeyPress {
  key: string
  ctrlKey: boolean
  metaKey: boolean
  altKey: boolean
  shiftKey: boolean
}

export function comboOf(e: KeyPress): string {
  const parts: string[] = []
  if (e.ctrlKey) parts.push('Ctrl')
  if (e.metaKey) parts.push('Meta')
  if (e.altKey) parts.push('Alt')
  const key =
    e.key.length === 1 && e.key !== ' ' ? (e.shiftKey ? e.key.toUpperCase() : e.key.toLowerCase()) : e.key
  // Shift is part of a letter's case already; named keys (arrows, Enter) carry it explicitly.
  if (e.shiftKey && (e.key.length > 1 || e.key === ' ' || /[A-Za-z]/.test(e.key))) parts.push('Shift')
  parts.push(key)
  return parts.join('+')
}

/** How a combo is shown to people: "Space" for the space bar, arrows without the word "Arrow". */
export function keyName(combo: string): string {
  return combo.replace(/Arrow/g, '').replace(/(^|\+) $/, '$1Space')
}
