// Runs everywhere (shared): the little XML the CVAT reader needs — elements by name, attributes, entities —
// found with indexOf, never with a backtracking pattern, so any text, however damaged, is read in linear time
// (`<track>` ten thousand times with no `</track>` is a single pass, not ten thousand).

export interface XmlElement {
  /** Offset of the `<` in the text searched. */
  start: number
  /** The raw text between the name and the closing `>` (or `/>`). */
  attrs: string
  /** The content; '' for `<name/>`; null when the element is never closed. */
  body: string | null
  /** Offset of the content in the text searched. */
  bodyStart: number
}

/** The text with every comment blanked out (offsets and line breaks kept), so commented-out labels stay out. */
export function blankComments(text: string): string {
  let out = ''
  let at = 0
  for (;;) {
    const open = text.indexOf('<!--', at)
    if (open < 0) break
    const close = text.indexOf('-->', open + 4)
    const end = close < 0 ? text.length : close + 3
    out += text.slice(at, open) + text.slice(open, end).replace(/[^\n]/g, ' ')
    at = end
  }
  return out + text.slice(at)
}

/** Offset of the next `<name` that is the whole tag name (followed by a space, `/` or `>`), or -1. */
function nextOpen(text: string, name: string, from: number): number {
  for (let at = from; ;) {
    const i = text.indexOf(`<${name}`, at)
    if (i < 0) return -1
    const next = text.charAt(i + name.length + 1)
    if (next === '/' || next === '>' || /\s/.test(next)) return i
    at = i + 1
  }
}

/** Every `<name …/>` and `<name …>…</name>` (content up to the first close tag), in document order. */
export function elements(text: string, name: string): XmlElement[] {
  const closeTag = `</${name}>`
  const out: XmlElement[] = []
  // Where the next close tag is; -1 once none is left, so an unclosed element never starts a second search.
  let close = -2
  for (let at = 0; ;) {
    const start = nextOpen(text, name, at)
    if (start < 0) break
    const gt = text.indexOf('>', start)
    if (gt < 0) break
    const attrsFrom = start + name.length + 1
    if (text.charAt(gt - 1) === '/' && gt - 1 >= attrsFrom) {
      out.push({ start, attrs: text.slice(attrsFrom, gt - 1), body: '', bodyStart: gt })
      at = gt + 1
      continue
    }
    if (close !== -1 && close <= gt) close = text.indexOf(closeTag, gt + 1)
    const attrs = text.slice(attrsFrom, gt)
    if (close < 0) {
      out.push({ start, attrs, body: null, bodyStart: gt + 1 })
      at = gt + 1
      continue
    }
    out.push({ start, attrs, body: text.slice(gt + 1, close), bodyStart: gt + 1 })
    at = close + closeTag.length
  }
  return out
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }

/** Resolves the five named entities and character references; anything else is left as written. */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,8}|#[0-9]{1,8}|[a-z]{2,4});/gi, (whole, ref: string) => {
    if (ref[0] !== '#') return NAMED[ref] ?? whole
    const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10)
    // String.fromCodePoint throws beyond U+10FFFF; such a reference is not a character.
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole
  })
}

const attributePatterns = new Map<string, RegExp>()

/** An attribute's value, entities resolved; double or single quotes, as XML allows. */
export function attribute(attrs: string, name: string): string | undefined {
  let pattern = attributePatterns.get(name)
  if (!pattern) {
    pattern = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`)
    attributePatterns.set(name, pattern)
  }
  const m = pattern.exec(attrs)
  if (!m) return undefined
  return decodeEntities(m[1] ?? m[2] ?? '')
}
