// Runs in Node (Vitest): the tracking engine's pure stages against the Python they copy — window layout
// (predict.py / dataset.windows_for_eval), resume points, background sampling (video.median_background,
// Python's round) — and trajectory rectification, plus the model contract checks.
import { describe, expect, it } from 'vitest'
import { backgroundSampleFrames } from '../../../src/backend/tracking/background'
import { medianPicture } from '../../../src/shared/median-picture'
import { checkGraph, specFromMetadata } from '../../../src/backend/tracking/model-spec'
import { nvidiaDriverPresent, providerOrder } from '../../../src/backend/tracking/providers'
import { rectifyTrack, type TrackPoint } from '../../../src/backend/tracking/rectify'
import { resumePoint, windowLayout } from '../../../src/backend/tracking/windows'

const META = {
  'shuttle.arch': 'x',
  'shuttle.frames_in': '3',
  'shuttle.frames_out': '3',
  'shuttle.input_height': '288',
  'shuttle.input_width': '512',
  'shuttle.background': 'true',
  'shuttle.output': 'logits',
  'shuttle.threshold': '0.5'
}

describe('window layout', () => {
  it('is windows_for_eval: stride frames_in, the last anchored at the end', () => {
    expect(windowLayout(9, 3, 3).starts).toEqual([0, 3, 6])
    expect(windowLayout(10, 3, 3).starts).toEqual([0, 3, 6, 7])
    expect(windowLayout(3, 3, 3).starts).toEqual([0])
    expect(() => windowLayout(2, 3, 3)).toThrow(/fewer than the model's window/)
    expect(windowLayout(10, 5, 3).offset).toBe(1)
  })

  it("steps by the model's window stride (1: every frame in frames_in windows)", () => {
    expect(windowLayout(6, 3, 3, 1).starts).toEqual([0, 1, 2, 3])
    expect(windowLayout(7, 3, 3, 2).starts).toEqual([0, 2, 4])
    expect(() => windowLayout(6, 3, 3, 0)).toThrow(/stride/)
  })

  it('backs a resume up so an unfinished frame gets all its windows, keeping the finished frames', () => {
    const l = windowLayout(10, 3, 3)
    expect(resumePoint(l, 2, 10)).toEqual({ startWindow: 2, firstFrame: 6 })
    // Window 3 (start 7) overlaps window 2 (frames 6-8): frame 6 is final, 7 and 8 need window 2 again.
    expect(resumePoint(l, 3, 10)).toEqual({ startWindow: 2, firstFrame: 7 })
    expect(resumePoint(l, 4, 10)).toEqual({ startWindow: 4, firstFrame: 10 })
    // Stride 1: frame 5 is seen by windows 3, 4 and 5; with windows 0-4 done, frames 0-4 are final.
    const e = windowLayout(10, 3, 3, 1)
    expect(resumePoint(e, 5, 10)).toEqual({ startWindow: 3, firstFrame: 5 })
  })
})

describe('background', () => {
  it('samples like Python (round half to even, duplicates dropped)', () => {
    expect(backgroundSampleFrames(5)).toEqual([0, 1, 2, 3, 4])
    const s = backgroundSampleFrames(100)
    expect(s.length).toBe(63)
    // i = 31: 31·99/62 = 49.5, Python's round gives 50 (Math.round would too); i = 21: 33.53 → 34.
    expect(s[31]).toBe(50)
    expect(s[62]).toBe(99)
    const t = backgroundSampleFrames(188) // i·187/62 = x.5 at i = 31: 93.5 → 94 (even)
    expect(t[31]).toBe(94)
  })

  it('takes the per-byte median, flooring the mean of the middle two for an even count', () => {
    const pics = [
      [1, 10],
      [3, 20],
      [2, 31],
      [9, 0]
    ].map((v) => Uint8Array.from(v))
    expect([...medianPicture(pics)]).toEqual([2, 15])
    expect([...medianPicture(pics.slice(0, 3))]).toEqual([2, 20])
  })
})

describe('model contract', () => {
  it('reads the metadata', () => {
    const s = specFromMetadata(META)
    expect(s).toMatchObject({ framesIn: 3, framesOut: 3, channels: 12, background: true, output: 'logits' })
  })

  it('names what is wrong', () => {
    expect(() => specFromMetadata({ ...META, 'shuttle.output': 'softmax' })).toThrow(
      /shuttle.output = "softmax"/
    )
    expect(() => specFromMetadata({ ...META, 'shuttle.frames_out': '4' })).toThrow(/frames_out \(4\) is more/)
    const s = specFromMetadata(META)
    const out = [{ name: 'heatmaps', type: 'float32', shape: ['N', 3, 288, 512] }]
    expect(() => checkGraph(s, [{ name: 'input', shape: ['N', 12, 288, 512] }], out)).toThrow(/one, "frames"/)
    expect(() => checkGraph(s, [{ name: 'frames', shape: ['N', 12, 288, 512] }], [{ name: 'y' }])).toThrow(
      /one must be "heatmaps"/
    )
    expect(() =>
      checkGraph(
        s,
        [{ name: 'frames', shape: ['N', 12, 288, 512] }],
        [{ name: 'heatmaps', shape: [1, 3, 144, 512] }]
      )
    ).toThrow(/dimension 2 is 144, not 288/)
    expect(() => checkGraph(s, [{ name: 'frames', shape: ['N', 12, 288, 512] }], out)).not.toThrow()
  })
})

describe('execution providers', () => {
  it('tries the platform GPU first and the CPU always last', () => {
    const nvidia = (): boolean => true
    expect(providerOrder('auto', 'linux', nvidia)).toEqual(['cuda', 'cpu'])
    // No NVIDIA driver: auto does not try CUDA (its failure would only be noise), a forced cuda still is.
    expect(providerOrder('auto', 'linux', () => false)).toEqual(['cpu'])
    expect(providerOrder('cuda', 'linux', () => false)).toEqual(['cuda', 'cpu'])
    expect(nvidiaDriverPresent((f) => f === '/dev/nvidiactl')).toBe(true)
    expect(nvidiaDriverPresent(() => false)).toBe(false)
    expect(providerOrder('auto', 'win32')).toEqual(['dml', 'cpu'])
    expect(providerOrder('auto', 'darwin')).toEqual(['coreml', 'cpu'])
    expect(providerOrder('cpu', 'linux')).toEqual(['cpu'])
    expect(providerOrder('dml', 'linux')).toEqual(['dml', 'cpu'])
  })
})

describe('rectification', () => {
  const video = { width: 1280, height: 720 }
  // A parabola: x = 100 + 10 t, y = 500 - 40 t + 2 t².
  const path = (t: number): TrackPoint => ({
    frame: t,
    visible: true,
    x: 100 + 10 * t,
    y: 500 - 40 * t + 2 * t * t,
    confidence: 0.9
  })

  it('removes an impossible jump and leaves gaps alone unless asked to fill them', () => {
    const raw = Array.from({ length: 20 }, (_, t) => path(t))
    raw[5] = { frame: 5, visible: true, x: 900, y: 100, confidence: 0.6 } // a shoe far away
    for (const t of [11, 12, 13]) raw[t] = { frame: t, visible: false, x: 0, y: 0, confidence: 0.2 }
    const out = rectifyTrack(raw, { video })
    expect(out[5]).toMatchObject({ source: 'removed', visible: false })
    for (const t of [11, 12, 13]) expect(out[t]).toMatchObject({ source: 'none', visible: false })
    expect(out.filter((p) => p.source === 'detected').length).toBe(16)
  })

  it('judges outliers over 12 frames whatever the fill length', () => {
    const raw = Array.from({ length: 30 }, (_, t) => path(t))
    for (let t = 6; t <= 17; t++)
      if (t !== 11) raw[t] = { frame: t, visible: false, x: 0, y: 0, confidence: 0 }
    raw[11] = { frame: 11, visible: true, x: 900, y: 100, confidence: 0.6 } // alone between 5 and 18
    expect(rectifyTrack(raw, { video })[11]!.source).toBe('detected') // 5 → 18 is 13 frames: too far to judge
    raw[17] = path(17)
    expect(rectifyTrack(raw, { video })[11]!.source).toBe('removed')
    expect(rectifyTrack(raw, { video, outlierSpan: 8 })[11]!.source).toBe('detected')
  })

  it('fills short gaps on the ballistic curve when asked, and by default after fast windows', () => {
    const raw = Array.from({ length: 20 }, (_, t) => path(t))
    raw[5] = { frame: 5, visible: true, x: 900, y: 100, confidence: 0.6 } // a shoe far away
    for (const t of [11, 12, 13]) raw[t] = { frame: t, visible: false, x: 0, y: 0, confidence: 0.2 }
    const out = rectifyTrack(raw, { video, maxGap: 5 })
    expect(out[5]!.source).toBe('filled') // removed, then the 1-frame gap it left is filled
    expect(out[5]!.x).toBeCloseTo(150, 6)
    expect(out[5]!.y).toBeCloseTo(350, 6)
    for (const t of [11, 12, 13]) {
      expect(out[t]!.source).toBe('filled')
      expect(out[t]!.x).toBeCloseTo(path(t).x, 6)
      expect(out[t]!.y).toBeCloseTo(path(t).y, 6)
    }
    expect(raw[5]!.x).toBe(900) // the raw detections are untouched
    expect(out.filter((p) => p.source === 'detected').length).toBe(16)
    // After fast windows (side by side, stride 3) gaps of up to 5 frames are filled by default.
    expect(rectifyTrack(raw, { video, windowStride: 3 })).toEqual(out)
  })

  it('fits a gap only from the same flight, not across a jump to another shot', () => {
    const line = (t: number): TrackPoint => ({
      frame: t,
      visible: true,
      x: 100 + 10 * t,
      y: 300 + 5 * t,
      confidence: 1
    })
    const raw = Array.from({ length: 16 }, (_, t) => line(t))
    for (const t of [6, 7]) raw[t] = { frame: t, visible: false, x: 0, y: 0, confidence: 0 }
    for (const t of [10, 11, 12, 13, 14, 15]) raw[t] = { ...line(t), y: 600 + 20 * t } // the next shot
    const out = rectifyTrack(raw, { video, maxGap: 5 })
    for (const t of [6, 7]) {
      expect(out[t]!.x).toBeCloseTo(line(t).x, 6)
      expect(out[t]!.y).toBeCloseTo(line(t).y, 6)
    }
  })

  it('leaves long gaps and lone points alone, and can smooth', () => {
    const raw: TrackPoint[] = Array.from({ length: 30 }, (_, t) =>
      t < 5 || t > 20 ? path(t) : { frame: t, visible: false, x: 0, y: 0, confidence: 0 }
    )
    const out = rectifyTrack(raw, { video, maxGap: 5 })
    expect(out.slice(5, 21).every((p) => !p.visible && p.source === 'none')).toBe(true)
    const noisy = Array.from({ length: 10 }, (_, t) => ({ ...path(t), x: 100 + 10 * t + (t % 2 ? 1 : -1) }))
    const smooth = rectifyTrack(noisy, { video, smooth: true })
    expect(smooth[4]!.source).toBe('smoothed')
    expect(Math.abs(smooth[4]!.x - 140)).toBeLessThan(1)
  })
})
