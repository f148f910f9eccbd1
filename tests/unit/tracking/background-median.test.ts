// Runs in Node (Vitest): the median background picture is the per-byte median the training code computes
// (numpy's median of uint8 values, floored when the count is even), whatever way it is found: checked against
// a plain sort on random pictures, ties and the sizes the sampling gives (1 to 63 pictures).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { BACKGROUND_SAMPLES } from '../../../src/backend/tracking/background'
import { medianPicture } from '../../../src/shared/median-picture'

function sortedMedian(pictures: readonly Uint8Array[]): Uint8Array {
  const n = pictures[0]!.length
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    const v = pictures.map((p) => p[i]!).sort((a, b) => a - b)
    const mid = v.length >> 1
    out[i] = v.length % 2 ? v[mid]! : Math.floor((v[mid - 1]! + v[mid]!) / 2)
  }
  return out
}

describe('median background picture', () => {
  it('is the per-byte median of a sort, for any count of pictures and any values', () => {
    const pictures = fc.integer({ min: 1, max: 24 }).chain((bytes) =>
      fc.array(
        // Few distinct values as often as many: equal values are where a selection goes wrong.
        fc.oneof(
          fc.uint8Array({ minLength: bytes, maxLength: bytes }),
          fc.uint8Array({ minLength: bytes, maxLength: bytes, max: 3 })
        ),
        { minLength: 1, maxLength: BACKGROUND_SAMPLES }
      )
    )
    fc.assert(
      fc.property(pictures, (pics) => {
        expect([...medianPicture(pics)]).toEqual([...sortedMedian(pics)])
      }),
      { numRuns: 400 }
    )
  })

  it('keeps sorted, reversed and constant runs exact', () => {
    const k = BACKGROUND_SAMPLES
    const up = Array.from({ length: k }, (_, j) => Uint8Array.of(j * 4, 200, 255 - j * 4))
    expect([...medianPicture(up)]).toEqual([124, 200, 131])
    expect([...medianPicture(up.slice(0, 62))]).toEqual([122, 200, 133])
  })
})
