// Runs in the renderer: match analysis in the studio — the court calibration the user clicks (four corners, then
// optionally the two net posts' tops) and the analysis of a track the lead hands in (frame arrays + fps),
// computed here with src/shared/analysis; nothing goes to the backend.
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { analyseTrack } from '@shared/analysis/analyse'
import { calibrate, courtOverlay, type Calibration, type ImageSegment } from '@shared/analysis/calibration'
import { calibrationFileOf, type StudioCalibrationFile } from '@shared/analysis/calibration-file'
import { CORNER_NAMES, POST_NAMES, type Point2 } from '@shared/analysis/court'
import {
  addHit,
  hitEditsFileOf,
  moveHit,
  NO_HIT_EDITS,
  parseHitEditsFile,
  removeHit,
  type HitEdits,
  type HitEditsFile
} from '@shared/analysis/hit-edits'
import type { Track } from '@shared/analysis/track'
import type { MatchAnalysis, RallyResult } from '@shared/analysis/types'

export type PointKind = 'corner' | 'post'

export const useAnalysisStore = defineStore('analysis', () => {
  const imageSize = ref<{ width: number; height: number } | null>(null)
  const corners = ref<Point2[]>([])
  const posts = ref<Point2[]>([])
  /** True once the user chose to go on without the posts. */
  const postsSkipped = ref(false)
  const track = shallowRef<Track | null>(null)
  const result = shallowRef<MatchAnalysis | null>(null)
  /** The result no longer matches the track or calibration (re-run analyse()). */
  const stale = ref(false)
  const selectedRally = ref<number | null>(null)
  const error = ref<string | null>(null)
  /** The person's corrections to the detected hits, applied by every analysis. */
  const hitEdits = shallowRef<HitEdits>(NO_HIT_EDITS)
  /** Frames of the video that repeat the previous picture (the backend finds them): the track is timed by picture. */
  const repeatedFrames = shallowRef<readonly number[]>([])
  /** Whether the repeated frames are known yet: 'finding' while the backend scans the video, 'failed' if it could not. */
  const repeatsState = ref<'finding' | 'found' | 'failed'>('found')

  /** What the next click places: a corner, a post top, or nothing (all placed or posts skipped). */
  const nextPoint = computed<{ kind: PointKind; index: number; name: string } | null>(() => {
    if (corners.value.length < 4) {
      const i = corners.value.length
      return { kind: 'corner', index: i, name: `${CORNER_NAMES[i]} corner` }
    }
    if (!postsSkipped.value && posts.value.length < 2) {
      const i = posts.value.length
      return { kind: 'post', index: i, name: POST_NAMES[i]! }
    }
    return null
  })

  const calibrationResult = computed<{ calibration: Calibration | null; error: string | null }>(() => {
    const size = imageSize.value
    if (!size || corners.value.length < 4) return { calibration: null, error: null }
    try {
      // One post alone says nothing about the vertical; it waits for its partner.
      const p = posts.value.length === 2 ? posts.value : null
      return { calibration: calibrate({ imageSize: size, corners: corners.value, posts: p }), error: null }
    } catch (e) {
      return { calibration: null, error: (e as Error).message }
    }
  })
  const calibration = computed(() => calibrationResult.value.calibration)
  const calibrationError = computed(() => calibrationResult.value.error)
  const overlay = computed<ImageSegment[]>(() => (calibration.value ? courtOverlay(calibration.value) : []))
  const rally = computed<RallyResult | null>(() =>
    selectedRally.value === null ? null : (result.value?.rallies[selectedRally.value] ?? null)
  )

  function touched(): void {
    if (result.value) stale.value = true
  }

  /**
   * The video's repeated frames (null: being found; 'failed': could not be found, so frame by frame). A result
   * that was current is re-run at once, like a hit edit: the timing changes, not anything the person did.
   */
  function setRepeatedFrames(frames: readonly number[] | null | 'failed'): void {
    repeatsState.value = frames === null ? 'finding' : frames === 'failed' ? 'failed' : 'found'
    const next = Array.isArray(frames) ? frames : []
    const now = repeatedFrames.value
    if (next.length === now.length && next.every((f, i) => f === now[i])) return
    repeatedFrames.value = next
    if (result.value && !stale.value) analyse()
    else touched()
  }

  function setImageSize(width: number, height: number): void {
    const s = imageSize.value
    if (s && s.width === width && s.height === height) return
    imageSize.value = { width, height }
    touched()
  }

  /** Places the next point (corners first, then posts); ignored once all are placed. */
  function addPoint(p: Point2): void {
    const next = nextPoint.value
    if (!next) return
    if (next.kind === 'corner') corners.value = [...corners.value, p]
    else posts.value = [...posts.value, p]
    touched()
  }

  function movePoint(kind: PointKind, index: number, p: Point2): void {
    const list = kind === 'corner' ? corners : posts
    if (index < 0 || index >= list.value.length) return
    list.value = list.value.map((q, i) => (i === index ? p : q))
    touched()
  }

  function undoPoint(): void {
    if (posts.value.length) posts.value = posts.value.slice(0, -1)
    else corners.value = corners.value.slice(0, -1)
    postsSkipped.value = false
    touched()
  }

  function skipPosts(): void {
    posts.value = []
    postsSkipped.value = true
    touched()
  }

  function resetCalibration(): void {
    corners.value = []
    posts.value = []
    postsSkipped.value = false
    touched()
  }

  function loadCalibration(file: StudioCalibrationFile): void {
    imageSize.value = file.imageSize
    corners.value = file.corners.map((p) => [p[0], p[1]])
    posts.value = (file.posts ?? []).map((p) => [p[0], p[1]])
    postsSkipped.value = !file.posts
    touched()
  }

  /** The calibration as a file the CLI reads (--calibration), or null while incomplete. */
  function calibrationFile(): StudioCalibrationFile | null {
    return calibration.value ? calibrationFileOf(calibration.value) : null
  }

  function setTrack(t: Track): void {
    if (t.visible.length !== t.x.length || t.x.length !== t.y.length || !(t.fps > 0)) {
      error.value = 'the track arrays (visible, x, y) must have one entry per frame and a positive frame rate'
      return
    }
    track.value = t
    error.value = null
    touched()
  }

  /** Runs the analysis on the current track and calibration (synchronous; a long match takes a few seconds). */
  function analyse(): MatchAnalysis | null {
    const t = track.value
    const size = imageSize.value
    if (!t || !size) {
      error.value = !t
        ? 'no track to analyse: run the tracker or load labels first'
        : 'the video size is unknown'
      return null
    }
    try {
      result.value = analyseTrack({
        track: t,
        imageSize: size,
        calibration: calibration.value,
        hitEdits: hitEdits.value,
        repeatedFrames: repeatedFrames.value
      })
      error.value = null
      stale.value = false
      if (selectedRally.value !== null && selectedRally.value >= result.value.rallies.length)
        selectedRally.value = null
      return result.value
    } catch (e) {
      error.value = `the analysis failed: ${(e as Error).message}`
      return null
    }
  }

  function selectRally(index: number | null): void {
    selectedRally.value = index
  }

  /** An edit changes the hits at once: the analysis is re-run so counts, speeds and charts follow. */
  function editHits(next: HitEdits): void {
    if (next === hitEdits.value) return
    hitEdits.value = next
    if (result.value && !stale.value) analyse()
    else touched()
  }

  function addHitAt(frame: number): void {
    editHits(addHit(hitEdits.value, Math.round(frame)))
  }

  function removeHitAt(frame: number): void {
    editHits(removeHit(hitEdits.value, frame))
  }

  function moveHitTo(from: number, to: number): void {
    editHits(moveHit(hitEdits.value, from, Math.round(to)))
  }

  function clearHitEdits(): void {
    editHits(NO_HIT_EDITS)
  }

  /** The edits as the file the CLI reads (--hit-edits). */
  function hitEditsFile(): HitEditsFile {
    return hitEditsFileOf(hitEdits.value)
  }

  /** Loads a saved edits file; a bad one is refused with the reason and the current edits are kept. */
  function loadHitEdits(text: string): boolean {
    try {
      editHits(parseHitEditsFile(text))
      return true
    } catch (e) {
      error.value = `the hit edits file was not loaded: ${(e as Error).message}`
      return false
    }
  }

  return {
    imageSize,
    corners,
    posts,
    postsSkipped,
    track,
    result,
    stale,
    selectedRally,
    error,
    hitEdits,
    repeatedFrames,
    repeatsState,
    nextPoint,
    calibration,
    calibrationError,
    overlay,
    rally,
    setImageSize,
    setRepeatedFrames,
    addPoint,
    movePoint,
    undoPoint,
    skipPosts,
    resetCalibration,
    loadCalibration,
    calibrationFile,
    setTrack,
    analyse,
    selectRally,
    addHitAt,
    removeHitAt,
    moveHitTo,
    clearHitEdits,
    hitEditsFile,
    loadHitEdits
  }
})
