// Runs everywhere (shared): recovers a stroke's 3-D launch from a single camera. The flight model (flight.ts) is
// fitted by Levenberg–Marquardt to the image positions after the hit — and, where seen, to those before it, which
// pins down the contact time — with the camera from the calibration. Gravity and drag set the absolute scale, so
// a few frames are enough for depth; several start heights guard against the wrong local minimum.
import { pixelToPlaneZ, projectPoint, type CameraModel } from './camera'
import type { Point2, Point3 } from './court'
import { DRAG_K, GRAVITY, positionsAt, speedKmh, type FlightState } from './flight'
import { levenbergMarquardt } from './lm'

export interface Observation {
  /** Seconds (frame / fps). */
  t: number
  px: Point2
}

export interface FlightFitInput {
  camera: CameraModel
  /** Estimated contact time (s) and image position. */
  tau: number
  contactPx: Point2
  after: Observation[]
  before: Observation[]
  /** The shuttle was held still before (a serve): the incoming model is a fixed point. */
  beforeStill: boolean
}

export interface FlightFit {
  contact: Point3
  /** Launch velocity (m/s) at the contact. */
  velocity: Point3
  speedKmh: number
  /** Fitted contact time (s). */
  tau: number
  rmsPx: number
  incoming: 'flight' | 'still' | 'none'
  framesUsed: number
}

type Mode = FlightFit['incoming']

/**
 * Image residuals of every observation. Which side of the contact an observation belongs to follows the fitted
 * contact time (both sides meet at the contact, so the cost stays continuous as an observation changes sides).
 */
function residuals(p: readonly number[], mode: Mode, inp: FlightFitInput, tauFixed: number): number[] | null {
  const tau = mode === 'none' ? tauFixed : p[mode === 'flight' ? 9 : 6]!
  const all = mode === 'none' ? inp.after : [...inp.before, ...inp.after]
  const out: FlightState = [p[0]!, p[1]!, p[2]!, p[3]!, p[4]!, p[5]!]
  const outIdx = all.map((_, i) => i).filter((i) => mode === 'none' || all[i]!.t >= tau)
  const inIdx = all.map((_, i) => i).filter((i) => mode !== 'none' && all[i]!.t < tau)
  const X: Point3[] = new Array(all.length)
  const fwd = positionsAt(
    out,
    outIdx.map((i) => all[i]!.t - tau)
  )
  outIdx.forEach((i, k) => (X[i] = fwd[k]!))
  if (mode === 'flight') {
    const back = positionsAt(
      [p[0]!, p[1]!, p[2]!, p[6]!, p[7]!, p[8]!],
      inIdx.map((i) => all[i]!.t - tau)
    )
    inIdx.forEach((i, k) => (X[i] = back[k]!))
  } else for (const i of inIdx) X[i] = [p[0]!, p[1]!, p[2]!]
  const r: number[] = []
  for (let i = 0; i < all.length; i++) {
    const q = projectPoint(inp.camera, X[i]!)
    // Behind the camera, or a backward flight that blew up: no answer (the fitter treats it as infinitely bad).
    if (!q || !Number.isFinite(q[0]) || !Number.isFinite(q[1])) return null
    r.push(q[0] - all[i]!.px[0], q[1] - all[i]!.px[1])
  }
  return r
}

/** Start heights (m) tried for the contact: net play, middle, overhead. */
const START_HEIGHTS = [0.5, 1.1, 1.8, 2.6]
/** The first stage fits only this much flight (s): short enough that a rough start converges. */
const FIRST_STAGE_SECONDS = 0.25

/** Launch guess: the contact on the plane z = z0 and the straight-line velocity to a later (or earlier) sighting. */
function initialGuess(
  camera: CameraModel,
  contactPx: Point2,
  tau: number,
  toward: Observation,
  z0: number,
  zTo = z0
): number[] | null {
  const P = pixelToPlaneZ(camera, contactPx, z0)
  const Q = pixelToPlaneZ(camera, toward.px, zTo)
  const dt = toward.t - tau
  if (!P || !Q || Math.abs(dt) < 1e-3) return null
  // Gravity pulls the straight line down by g·dt²/2; start with the vertical speed that makes up for it.
  const v = [(Q[0] - P[0]) / dt, (Q[1] - P[1]) / dt, (Q[2] - P[2]) / dt + (GRAVITY * dt) / 2]
  // Flown backwards, drag feeds speed in and blows up after 1/(k·|v|) seconds: keep the start well short of it.
  const speed = Math.hypot(v[0]!, v[1]!, v[2]!)
  const cap = dt < 0 ? 0.4 / (DRAG_K * -dt) : Infinity
  const s = speed > cap ? cap / speed : 1
  return [P[0], P[1], P[2], v[0]! * s, v[1]! * s, v[2]! * s]
}

type Fit = { p: number[]; cost: number }
const better = (a: Fit | null, b: Fit | null): Fit | null => (!a ? b : !b ? a : b.cost < a.cost ? b : a)

/**
 * Stage 1 finds the contact in 3-D from the side with most frames close to the hit (the launch, or the incoming
 * flight flown backwards: a far player's clear leaves the top of a broadcast frame within a frame or two), from
 * several start heights. Stage 2 fits everything (both sides, contact time free) from each stage-1 result and,
 * where the launch was barely seen, from several guesses of the launch towards the next sighting.
 */
export function fitFlight(inp: FlightFitInput): FlightFit | null {
  const mode: Mode = inp.before.length >= 2 ? (inp.beforeStill ? 'still' : 'flight') : 'none'
  const near = (o: Observation): boolean => Math.abs(o.t - inp.tau) <= FIRST_STAGE_SECONDS
  const earlyAfter = inp.after.filter(near)
  const earlyBefore = inp.before.filter(near)
  if (inp.after.length < 3 && !(inp.after.length >= 1 && earlyBefore.length >= 3)) return null
  const launchSide = earlyAfter.length >= 3 || mode !== 'flight' || earlyBefore.length < 3
  const side = launchSide ? (earlyAfter.length >= 3 ? earlyAfter : inp.after.slice(0, 3)) : earlyBefore
  const stage1: FlightFitInput = { ...inp, after: side, before: [] }
  const toward = launchSide ? side[Math.min(2, side.length - 1)]! : side[0]!
  let best: Fit | null = null
  for (const z0 of START_HEIGHTS) {
    const g = initialGuess(inp.camera, inp.contactPx, inp.tau, toward, z0)
    if (!g) continue
    const a = levenbergMarquardt(g, (q) => residuals(q, 'none', stage1, inp.tau), 25)
    if (!a) continue
    const starts: number[][] = []
    if (launchSide) {
      const p = a.p.slice(0, 6)
      if (mode === 'flight') {
        const v = initialGuess(inp.camera, inp.contactPx, inp.tau, inp.before[0]!, p[2]!)
        p.push(v ? v[3]! : 0, v ? v[4]! : 0, v ? v[5]! : 0)
      }
      starts.push(p)
    } else {
      // The incoming flight fixed the contact; guess the launch towards the first sighting after the hit.
      const P = a.p.slice(0, 3)
      const first = inp.after.find((o) => !near(o)) ?? inp.after[inp.after.length - 1]!
      for (const zTo of [1.5, 3.5, 6]) {
        const v = initialGuess(inp.camera, inp.contactPx, inp.tau, first, P[2]!, zTo)
        if (v) starts.push([...P, v[3]!, v[4]!, v[5]!, a.p[3]!, a.p[4]!, a.p[5]!])
      }
    }
    for (const p of starts) {
      if (mode !== 'none') p.push(inp.tau)
      best = better(
        best,
        levenbergMarquardt(p, (q) => residuals(q, mode, inp, inp.tau), 40)
      )
    }
  }
  if (!best || !Number.isFinite(best.cost)) return null
  const p = best.p
  const nObs = inp.after.length + (mode === 'none' ? 0 : inp.before.length)
  const tau = mode === 'none' ? inp.tau : p[mode === 'flight' ? 9 : 6]!
  const launch: FlightState = [p[0]!, p[1]!, p[2]!, p[3]!, p[4]!, p[5]!]
  return {
    contact: [p[0]!, p[1]!, p[2]!],
    velocity: [p[3]!, p[4]!, p[5]!],
    speedKmh: speedKmh(launch),
    tau,
    rmsPx: Math.sqrt(best.cost / Math.max(1, nObs)),
    incoming: mode,
    framesUsed: nObs
  }
}
