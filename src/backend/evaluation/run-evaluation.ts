// Runs in the backend (plain Node): the body of one evaluation job — clip by clip, read the clip's labels as
// they are now, keep the ground truth, get each model's track through the tracking service (a cached track
// comes back at once) and score it with the shared metrics. A clip that cannot be scored is noted and left out
// for every model, so A and B are always compared on the same frames.
import type { EventPayload, Params } from '../../shared/api/contract'
import { ApiError } from '../../shared/api/errors'
import { groundTruthOf, type GroundTruthPolicy } from '../../shared/evaluation/ground-truth'
import { scoreClip } from '../../shared/evaluation/score-clip'
import type { ClipSnapshot } from '../project/project-service'
import type { EventBus } from '../rpc/event-bus'
import type { ScoredClip } from './tables'
import { trackClip, type Tracker } from './track-clip'

export interface EvalRunner {
  side: 'A' | 'B'
  model: { id: string; path: string }
  rectify: boolean
}

export interface EvalClipRef {
  clipId: string
  match: string
  clip: string
}

export interface EvalRun {
  jobId: string
  clips: readonly EvalClipRef[]
  runners: readonly EvalRunner[]
  tolerancePx: number
  groundTruth: GroundTruthPolicy
  provider?: Params<'track.start'>['provider']
  signal: AbortSignal
}

export interface EvalDeps {
  snapshotClip(clipId: string): Promise<ClipSnapshot>
  tracker: Tracker
  bus: EventBus
}

type Progress = EventPayload<'evaluation.progress'>

export interface EvalRunOutput {
  /** Per runner, the scored clips in the same order. */
  scored: ScoredClip[][]
  notes: string[]
}

const name = (c: EvalClipRef): string => `${c.match}/${c.clip}`

export async function runEvaluation(
  run: EvalRun,
  deps: EvalDeps,
  report: (p: Omit<Progress, 'jobId' | 'state' | 'clipsTotal'>) => void
): Promise<EvalRunOutput> {
  const scored: ScoredClip[][] = run.runners.map(() => [])
  const notes: string[] = []
  let done = 0
  for (const ref of run.clips) {
    if (run.signal.aborted) throw new ApiError('cancelled', 'The evaluation was cancelled.')
    const at = { clipId: ref.clipId, clip: name(ref) }
    report({ clipsDone: done, ...at, side: null, framesDone: 0, framesTotal: 0 })
    const clip = await scoreOneClip(ref, run, deps, (side, framesDone, framesTotal) =>
      report({ clipsDone: done, ...at, side, framesDone, framesTotal })
    ).catch((e: Error) => {
      if (e instanceof ApiError && e.code === 'cancelled' && run.signal.aborted) throw e
      notes.push(`${name(ref)}: ${e.message}`)
      return null
    })
    if (clip) clip.forEach((c, i) => scored[i]!.push(c))
    done++
  }
  report({ clipsDone: done, clipId: null, clip: null, side: null, framesDone: 0, framesTotal: 0 })
  return { scored, notes }
}

async function scoreOneClip(
  ref: EvalClipRef,
  run: EvalRun,
  deps: EvalDeps,
  onFrames: (side: 'A' | 'B', done: number, total: number) => void
): Promise<ScoredClip[] | null> {
  const snap = await deps.snapshotClip(ref.clipId)
  const gt = groundTruthOf(snap.columns, run.groundTruth)
  if (gt.points.length === 0) {
    throw new ApiError(
      'bad-request',
      run.groundTruth === 'reviewed'
        ? 'no label a person reviewed (accepted, corrected or verified); left out'
        : 'no label a person made, imported or accepted (only unreviewed model or interpolated ones); left out'
    )
  }
  const video = { width: snap.info.width, height: snap.info.height }
  const out: ScoredClip[] = []
  for (const r of run.runners) {
    const points = await trackClip(
      deps.tracker,
      deps.bus,
      { path: snap.videoPath, model: r.model.path, rectify: r.rectify, provider: run.provider },
      run.signal,
      (e) => onFrames(r.side, e.done, e.total)
    )
    const predictions = points.map((p) => ({ frame: p.frame, visible: p.visible, x: p.x, y: p.y }))
    out.push({
      clipId: snap.clipId,
      match: snap.match,
      clip: snap.clip,
      frames: snap.info.frameCount,
      width: video.width,
      height: video.height,
      notByPeople: gt.notByPeople,
      unknown: gt.unknown,
      score: scoreClip(predictions, gt.points, snap.info.frameCount, video, run.tolerancePx)
    })
  }
  return out
}
