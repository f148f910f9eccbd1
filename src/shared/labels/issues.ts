// Runs everywhere (shared): collects label issues and keeps the list readable. A shuffled or shifted file can
// break the same rule on every row; past a cap per kind the rest are counted in one closing line instead.
import type { LabelIssue, LabelIssueCode, LabelIssueSeverity } from './types'

export const DEFAULT_MAX_ISSUES_PER_CODE = 20

export class IssueList {
  private readonly issues: LabelIssue[] = []
  private readonly perCode = new Map<LabelIssueCode, number>()

  constructor(private readonly maxPerCode = DEFAULT_MAX_ISSUES_PER_CODE) {}

  add(
    row: number,
    code: LabelIssueCode,
    severity: LabelIssueSeverity,
    message: string,
    frame?: number
  ): void {
    const n = (this.perCode.get(code) ?? 0) + 1
    this.perCode.set(code, n)
    if (n > this.maxPerCode) return
    // Only a frame that is one: an issue about "frame 1.5" or "frame 1e300" names it in its message instead.
    const named = frame !== undefined && Number.isSafeInteger(frame)
    this.issues.push(named ? { row, code, severity, message, frame } : { row, code, severity, message })
  }

  /** The issues, then one 'more-issues' line per kind that went past the cap. */
  list(): LabelIssue[] {
    const out = [...this.issues]
    for (const [code, n] of this.perCode) {
      if (n <= this.maxPerCode) continue
      const severity = this.issues.find((i) => i.code === code)?.severity ?? 'warning'
      const more = n - this.maxPerCode
      out.push({
        row: 0,
        code: 'more-issues',
        severity,
        message: `…and ${more} more of "${code}" not listed.`
      })
    }
    return out
  }
}
