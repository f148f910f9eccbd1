// Runs in the renderer: the timeline lanes of a clip, built from its label columns — visibility, model
// confidence, source and review state — with the colours the frame overlay uses too.
import type { ClipColumns } from '@shared/project/columns'
import { REVIEWS, SOURCES, VISIBILITIES } from '@shared/project/frame-state'
import type { Lane } from '../timeline/lanes'

export function clipLanes(c: ClipColumns): Lane[] {
  const confidence = new Float32Array(c.frameCount)
  for (let f = 0; f < c.frameCount; f++) confidence[f] = c.confidence[f]! < 0 ? Number.NaN : c.confidence[f]!
  return [
    {
      kind: 'category',
      name: 'visibility',
      values: c.visibility,
      colors: ['#2a2e37', '#8a5a5a', '#4dff88'],
      labels: [...VISIBILITIES]
    },
    { kind: 'numeric', name: 'confidence', values: confidence, color: '#ffb14d' },
    {
      kind: 'category',
      name: 'source',
      values: c.source,
      colors: ['#2a2e37', '#ff5a5a', '#5ab4ff', '#4dff88', '#ffd34d'],
      labels: [...SOURCES]
    },
    {
      kind: 'category',
      name: 'review',
      values: c.review,
      colors: ['#2a2e37', '#7fb2ff', '#c38bff', '#4dff88'],
      labels: [...REVIEWS]
    }
  ]
}
