// Runs everywhere (shared): the analysis CSV: one row per hit, the columns scripts read. Empty cells where a value
// needs a calibration that was not given.
import type { HitResult } from './types'

export const HIT_CSV_HEADER = 'frame,time,x,y,court_x,court_y,speed_kmh,assumption,player_side,rally'

const cell = (v: number | string | null): string => (v === null ? '' : String(v))

export function hitsCsv(hits: readonly HitResult[]): string {
  const rows = hits.map((h) =>
    [h.frame, h.time, h.x, h.y, h.courtX, h.courtY, h.speedKmh, h.assumption, h.playerSide, h.rally]
      .map(cell)
      .join(',')
  )
  return [HIT_CSV_HEADER, ...rows].join('\n') + '\n'
}
