// Runs in Node (Vitest): the decoder against the shared test vectors (tests/fixtures/heatmap/vectors.json),
// whose expected outputs come from the Python reference (training/shuttle_training/postprocess.py and
// letterbox.py). A pytest on the Python side checks the same file, so the two cannot drift apart.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { HeatmapDecoder } from '@shared/heatmap/decode'

interface Vector {
  name: string
  output: 'logits' | 'sigmoid'
  threshold: number
  video: { width: number; height: number }
  heatmap: { height: number; width: number; fill: number; pixels: [number, number, number][] }
  expected: {
    visible: boolean
    letterbox: { scaled_width: number; scaled_height: number }
    heatmap_x?: number
    heatmap_y?: number
    x?: number
    y?: number
    confidence?: number
  }
}

const file = path.join(__dirname, '..', '..', 'fixtures', 'heatmap', 'vectors.json')
const { vectors } = JSON.parse(readFileSync(file, 'utf8')) as { vectors: Vector[] }

function heatmapOf(v: Vector): Float32Array {
  const data = new Float32Array(v.heatmap.height * v.heatmap.width).fill(v.heatmap.fill)
  for (const [y, x, value] of v.heatmap.pixels) data[y * v.heatmap.width + x] = value
  return data
}

describe('shared heatmap vectors', () => {
  it('has vectors', () => expect(vectors.length).toBeGreaterThan(5))

  for (const v of vectors) {
    it(v.name, () => {
      const decoder = new HeatmapDecoder({
        heatmap: { width: v.heatmap.width, height: v.heatmap.height },
        video: v.video,
        output: v.output,
        threshold: v.threshold
      })
      expect(decoder.letterbox.scaledWidth).toBe(v.expected.letterbox.scaled_width)
      expect(decoder.letterbox.scaledHeight).toBe(v.expected.letterbox.scaled_height)
      const data = heatmapOf(v)
      const inHeatmap = decoder.decodeInHeatmap(data)
      const inVideo = decoder.decode(data)
      expect(inVideo.visible).toBe(v.expected.visible)
      if (!v.expected.visible) return
      expect(inHeatmap.x).toBeCloseTo(v.expected.heatmap_x as number, 6)
      expect(inHeatmap.y).toBeCloseTo(v.expected.heatmap_y as number, 6)
      expect(inVideo.x).toBeCloseTo(v.expected.x as number, 6)
      expect(inVideo.y).toBeCloseTo(v.expected.y as number, 6)
      expect(inVideo.confidence).toBeCloseTo(v.expected.confidence as number, 6)
    })
  }
})
