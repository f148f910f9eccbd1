// Runs in Node (Vitest): the main process's rule for restarting a crashed backend — a crash loop gives up, an
// occasional crash is always restarted.
import { describe, expect, it } from 'vitest'
import { RestartPolicy } from '../../../src/main/restart-policy'

describe('RestartPolicy', () => {
  it('restarts a few crashes close together, then gives up', () => {
    const policy = new RestartPolicy({ maxRestarts: 3, windowMs: 60_000 })
    expect([0, 100, 200].map((t) => policy.shouldRestart(t))).toEqual([true, true, true])
    expect(policy.shouldRestart(300)).toBe(false)
    expect(policy.shouldRestart(400)).toBe(false)
  })

  it('always restarts crashes spread further apart than the window', () => {
    const policy = new RestartPolicy({ maxRestarts: 1, windowMs: 1000 })
    for (let i = 0; i < 20; i++) expect(policy.shouldRestart(i * 1001)).toBe(true)
  })

  it('starts afresh after a reset', () => {
    const policy = new RestartPolicy({ maxRestarts: 1, windowMs: 60_000 })
    expect(policy.shouldRestart(0)).toBe(true)
    expect(policy.shouldRestart(1)).toBe(false)
    policy.reset()
    expect(policy.shouldRestart(2)).toBe(true)
  })
})
