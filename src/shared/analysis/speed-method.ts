// Runs everywhere (shared): the one speed definition an analysis uses for every hit, its wording for tables and
// charts, and a rally's top speed taken from that same list, so a table and a chart can never disagree.
import type { HitResult, SpeedAssumption } from './types'

export interface SpeedMethod {
  method: SpeedAssumption
  unit: 'km/h'
  /** What the figure is, for a column header or an axis. */
  label: string
}

export const SPEED_METHODS: Record<SpeedAssumption, SpeedMethod> = {
  'height-corrected': {
    method: 'height-corrected',
    unit: 'km/h',
    label: 'launch speed at the contact, km/h, from the 3-D flight fit (gravity + drag)'
  },
  'court-plane': {
    method: 'court-plane',
    unit: 'km/h',
    label: 'court-plane speed just after the hit, km/h (positions mapped to the floor; rough)'
  }
}

/** The 3-D fit where the calibration gives a camera, else the court plane; none without a calibration. */
export function speedMethodFor(calibrated: boolean, hasCamera: boolean): SpeedMethod | null {
  if (hasCamera) return SPEED_METHODS['height-corrected']
  return calibrated ? SPEED_METHODS['court-plane'] : null
}

/** The fastest hit with a speed, or null. */
export function topSpeed(hits: readonly HitResult[]): { kmh: number; frame: number } | null {
  let best: { kmh: number; frame: number } | null = null
  for (const h of hits)
    if (h.speedKmh !== null && (!best || h.speedKmh > best.kmh)) best = { kmh: h.speedKmh, frame: h.frame }
  return best
}
