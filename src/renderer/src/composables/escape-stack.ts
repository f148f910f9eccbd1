// Runs in the renderer: what Escape closes. Every sheet, dialog, banner and question registers while it is
// open; one Escape closes the one opened last (the one on top), so a question inside the Keys sheet goes
// before the sheet, and a banner that came after the sheet goes before it. Pure, so it is tested without a page.
export type Close = () => void

export interface EscapeStack {
  /** Registers an open thing; the returned function takes it off (when it closes by other means). */
  open(close: Close): () => void
  /** Closes the thing opened last; false when nothing is open (Escape then does nothing here). */
  closeTop(): boolean
  readonly size: number
}

export function createEscapeStack(): EscapeStack {
  const open: { close: Close }[] = []
  const remove = (entry: { close: Close }): void => {
    const i = open.lastIndexOf(entry)
    if (i >= 0) open.splice(i, 1)
  }
  return {
    open(close) {
      const entry = { close }
      open.push(entry)
      return () => remove(entry)
    },
    closeTop() {
      const top = open.pop()
      if (!top) return false
      top.close()
      return true
    },
    get size() {
      return open.length
    }
  }
}
