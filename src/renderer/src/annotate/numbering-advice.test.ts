// Runs in Node (Vitest): the Import labels dialog's advice on a file's frame numbering — the track decides
// where there is one, and the sentence says so with both shares.
import { describe, expect, it } from 'vitest'
import { numberingAdvice } from './numbering-advice'

describe('numberingAdvice', () => {
  it('says how many labels would move, and asks for the box where the track agrees better with OpenCV', () => {
    const s = numberingAdvice({
      moves: 451,
      maxShift: 17,
      track: { compared: 200, asNumbered: 82, opencv: 176 }
    })
    expect(s).toContain('451 labels belong on other pictures (up to 17 frames away)')
    expect(s).toContain('88 % of its visible labels under OpenCV numbering, 41 % as numbered: tick')
  })

  it('says the file looks right where the track agrees better as numbered', () => {
    const s = numberingAdvice({ moves: 1, maxShift: -2, track: { compared: 50, asNumbered: 49, opencv: 20 } })
    expect(s).toContain('1 label belongs on another picture (up to 2 frames away)')
    expect(s).toContain('98 % of its visible labels as numbered, 40 % under OpenCV numbering')
    expect(s).not.toContain('tick')
  })

  it('without a track, leaves the choice to what the user knows of the file', () => {
    expect(numberingAdvice({ moves: 5, maxShift: 3, track: null })).toMatch(
      /Tick "OpenCV numbering" if it came from such a tool\.$/
    )
  })
})
