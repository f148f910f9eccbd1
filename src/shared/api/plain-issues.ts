// Runs everywhere (shared): turns zod's issues into one sentence a person can act on — "from: is missing (give
// text)", "count: must be at most 100000" — instead of zod's own words ("expected nonoptional, received
// undefined"). The field is named as a path into the request (edits[3].from); the schemas' own messages
// ('give the project folder', 'a clip id looks like c-1a2b3c4d') are kept as they are.

/** The parts of a zod issue read here (zod 4's issue shapes, loosely). */
export interface IssueLike {
  code?: string
  path: readonly PropertyKey[]
  message: string
  expected?: unknown
  origin?: unknown
  minimum?: unknown
  maximum?: unknown
  inclusive?: boolean
  values?: readonly unknown[]
  keys?: readonly string[]
}

/** "edits[3].from" for ['edits', 3, 'from']; '' for the request itself. */
export function fieldName(path: readonly PropertyKey[]): string {
  let out = ''
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`
  return out
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined
    v = (v as Record<PropertyKey, unknown>)[p]
  }
  return v
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object ({…})',
  array: 'a list ([…])',
  nonoptional: 'a value'
}

function kindOf(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'a list'
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v)
  if (typeof v === 'number' && !Number.isInteger(v)) return `the fraction ${v}`
  return typeof v === 'object' ? 'an object' : typeof v === 'string' ? 'text' : `${typeof v} ${String(v)}`
}

/** zod's default texts start so; anything else was written for people in a schema and is kept. */
const ZOD_WORDING = /^(Invalid|Too (small|big)|Unrecognized)/

function problem(issue: IssueLike, input: unknown): string {
  const own = !ZOD_WORDING.test(issue.message)
  const value = valueAt(input, issue.path)
  switch (issue.code) {
    case 'invalid_type': {
      const want = TYPE_WORDS[String(issue.expected)] ?? String(issue.expected)
      if (own && value !== undefined) return issue.message
      return value === undefined ? `is missing (give ${want})` : `should be ${want}, not ${kindOf(value)}`
    }
    case 'too_small':
    case 'too_big': {
      if (own) return issue.message
      const small = issue.code === 'too_small'
      const bound = String(small ? issue.minimum : issue.maximum)
      const exact = issue.inclusive !== false
      const than = small ? (exact ? 'at least' : 'more than') : exact ? 'at most' : 'less than'
      if (issue.origin === 'string') return `must be ${than} ${bound} characters long`
      if (issue.origin === 'array' || issue.origin === 'set') return `must hold ${than} ${bound} items`
      return `must be ${than} ${bound}`
    }
    case 'invalid_value':
      return own
        ? issue.message
        : `must be ${(issue.values ?? []).map((v) => JSON.stringify(v)).join(' or ')}`
    case 'unrecognized_keys':
      return `has unknown fields: ${(issue.keys ?? []).join(', ')}`
    case 'invalid_union':
      return own ? issue.message : 'is none of the accepted forms'
    case 'invalid_format':
      return own ? issue.message : 'is not in the expected form'
    default:
      return own ? issue.message : 'is not valid'
  }
}

/** "field: problem; field: problem" — each field named, each problem in plain words; `whole` names the root. */
export function plainIssues(issues: readonly IssueLike[], input: unknown, whole = 'the request'): string {
  return issues
    .map((i) => {
      const field = fieldName(i.path)
      const what = problem(i, input)
      return field ? `${field}: ${what}` : `${whole} ${what}`
    })
    .join('; ')
}
