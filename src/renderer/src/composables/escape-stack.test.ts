// Runs in Node (Vitest): Escape closes the thing opened last, one per press, and a thing closed by other means
// (its × button) is no longer closed by a later Escape.
import { describe, expect, it } from 'vitest'
import { createEscapeStack } from './escape-stack'

describe('escape stack', () => {
  it('closes the thing opened last, one per Escape, then nothing', () => {
    const stack = createEscapeStack()
    const closed: string[] = []
    stack.open(() => closed.push('keys sheet'))
    stack.open(() => closed.push('reset question'))
    expect(stack.closeTop()).toBe(true)
    expect(closed).toEqual(['reset question'])
    expect(stack.closeTop()).toBe(true)
    expect(closed).toEqual(['reset question', 'keys sheet'])
    expect(stack.closeTop()).toBe(false)
    expect(stack.size).toBe(0)
  })

  it('forgets a thing closed by other means, wherever it is in the stack', () => {
    const stack = createEscapeStack()
    const closed: string[] = []
    stack.open(() => closed.push('banner'))
    const offPicker = stack.open(() => closed.push('folder picker'))
    stack.open(() => closed.push('import'))
    offPicker()
    offPicker()
    expect(stack.size).toBe(2)
    stack.closeTop()
    stack.closeTop()
    expect(closed).toEqual(['import', 'banner'])
  })

  it('tells two registrations of the same close apart', () => {
    const stack = createEscapeStack()
    let n = 0
    const close = () => void n++
    const first = stack.open(close)
    stack.open(close)
    first()
    expect(stack.closeTop()).toBe(true)
    expect(n).toBe(1)
    expect(stack.closeTop()).toBe(false)
  })
})
