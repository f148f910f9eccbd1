// Runs in Node (Vitest): the adaptation's JSON lines as they come off the Python side's stdout — each event is
// checked, and anything else (a library's warning, a cut-off line, an unknown or malformed event) is text.
import { describe, expect, it } from 'vitest'
import { isAdaptEvent, parseAdaptLine } from '../../../src/backend/adapt/adapt-events'

describe('parseAdaptLine', () => {
  it('reads every event of the interface', () => {
    const lines = [
      '{"event":"start","train_frames":150,"held_frames":40,"budget_s":600}',
      '{"event":"baseline","f1":0.51}',
      '{"event":"step","step":12,"loss":0.031,"elapsed_s":14.2,"budget_s":600}',
      '{"event":"eval","step":100,"f1":0.8,"best_f1":0.82,"elapsed_s":120}',
      '{"event":"exported","file":"/m/out.onnx","f1":0.82,"f1_before":0.51,"stopped":true}',
      '{"event":"error","message":"too few labels","code":2}',
      '{"event":"warning","message":"clip a/b: video unreadable, left out"}'
    ]
    const parsed = lines.map(parseAdaptLine)
    expect(parsed.every(isAdaptEvent)).toBe(true)
    expect(parsed.map((e) => ('event' in e ? e.event : null))).toEqual([
      'start',
      'baseline',
      'step',
      'eval',
      'exported',
      'error',
      'warning'
    ])
    expect(parsed[4]).toMatchObject({ stopped: true, f1: 0.82, f1_before: 0.51 })
  })

  it('keeps fields it does not know, and takes null for an F1 with nothing to measure', () => {
    const e = parseAdaptLine('{"event":"baseline","f1":null,"frames":0}')
    expect(e).toEqual({ event: 'baseline', f1: null, frames: 0 })
  })

  it('turns anything else into text, never an error', () => {
    const bad = [
      '',
      'UserWarning: something about torch',
      '{"event":"step","step":3,"loss":0.1', // cut off
      '{"event":"teleport"}', // unknown event
      '{"event":"step","step":"three","loss":0.1,"elapsed_s":1,"budget_s":60}', // wrong type
      '{"event":"eval","step":1,"f1":1.7,"best_f1":0.5,"elapsed_s":3}', // F1 out of 0..1
      '{"event":"start","train_frames":-4,"held_frames":1,"budget_s":60}', // negative count
      '[1, 2, 3]',
      '{"no":"event"}'
    ]
    for (const line of bad) {
      const e = parseAdaptLine(line)
      expect(isAdaptEvent(e), line).toBe(false)
      expect(e).toEqual({ text: line.trim() })
    }
  })

  it('tells an event carrying a "text" field from a line of text', () => {
    const e = parseAdaptLine('{"event":"warning","message":"m","text":"extra"}')
    expect(isAdaptEvent(e)).toBe(true)
  })
})
