// Runs in the backend (plain Node): the model contract (docs/ARCHITECTURE.md "Model contract") as code —
// turns an ONNX model's shuttle.* metadata into the settings pre- and post-processing run on, and checks the
// graph's input and output against them. Every refusal names what is wrong, so a person can fix the export.

export interface ModelSpec {
  arch: string
  framesIn: number
  framesOut: number
  height: number
  width: number
  background: boolean
  output: 'logits' | 'sigmoid'
  threshold: number
  trainedOn: string
  valF1: number | null
  version: string
  /** Input channels: 3 per frame, plus 3 for the background frame. */
  channels: number
  /** Frames between consecutive windows (shuttle.window_stride; frames_in when the model does not say). */
  windowStride: number
  /** The frame rate the model's motion cues were learnt at (shuttle.train_fps); null when it does not say. */
  trainFps: number | null
  /**
   * Thresholds chosen for window strides other than windowStride (shuttle.thresholds_by_stride, "3:0.9"): a
   * frame seen by one window is decided on one probability, not on the mean of several, which runs higher on
   * decoys, so its best threshold differs. Empty when the model does not say.
   */
  thresholdsByStride: ReadonlyMap<number, number>
}

/** Fast windows (`track --fast`, the panel's "fast"): side by side, so each frame is seen by one window. */
export function fastStride(spec: ModelSpec): number {
  return spec.framesIn
}

/** The threshold to decode at when windows are `stride` frames apart. */
export function thresholdAt(spec: ModelSpec, stride: number): number {
  return stride === spec.windowStride
    ? spec.threshold
    : (spec.thresholdsByStride.get(stride) ?? spec.threshold)
}

/** "3:0.9,2:0.8" → {3 → 0.9, 2 → 0.8}; each stride 1 to framesIn, each threshold inside (0, 1). */
function parseThresholdsByStride(text: string | undefined, framesIn: number): Map<number, number> {
  const out = new Map<number, number>()
  if (!text) return out
  for (const part of text.split(',')) {
    const [s, t, extra] = part.split(':')
    const stride = Number(s)
    const threshold = Number(t)
    if (
      extra !== undefined ||
      !Number.isInteger(stride) ||
      stride < 1 ||
      stride > framesIn ||
      !(threshold > 0 && threshold < 1)
    ) {
      throw new ModelProblem(
        `metadata shuttle.thresholds_by_stride = "${text}" must list stride:threshold pairs such as ` +
          `"3:0.9", each stride 1 to ${framesIn} and each threshold inside (0, 1).`
      )
    }
    out.set(stride, threshold)
  }
  return out
}

export class ModelProblem extends Error {
  override name = 'ModelProblem'
}

const REQUIRED = [
  'shuttle.arch',
  'shuttle.frames_in',
  'shuttle.frames_out',
  'shuttle.input_height',
  'shuttle.input_width',
  'shuttle.background',
  'shuttle.output',
  'shuttle.threshold'
] as const

function int(meta: Record<string, string>, key: string, min: number, max: number): number {
  const v = Number(meta[key])
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new ModelProblem(`metadata ${key} = "${meta[key]}" must be a whole number from ${min} to ${max}.`)
  }
  return v
}

/** The settings from metadata_props; throws ModelProblem naming the first missing or bad key. */
export function specFromMetadata(meta: Record<string, string>): ModelSpec {
  const missing = REQUIRED.filter((k) => !(k in meta))
  if (missing.length) {
    throw new ModelProblem(
      `metadata ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing: export the model with ` +
        'training/shuttle_training/export.py, which writes the shuttle.* keys the app configures itself from.'
    )
  }
  const framesIn = int(meta, 'shuttle.frames_in', 1, 64)
  const framesOut = int(meta, 'shuttle.frames_out', 1, 64)
  if (framesOut > framesIn) {
    throw new ModelProblem(`shuttle.frames_out (${framesOut}) is more than shuttle.frames_in (${framesIn}).`)
  }
  const background = meta['shuttle.background']
  if (background !== 'true' && background !== 'false') {
    throw new ModelProblem(`metadata shuttle.background = "${background}" must be "true" or "false".`)
  }
  const output = meta['shuttle.output']
  if (output !== 'logits' && output !== 'sigmoid') {
    throw new ModelProblem(`metadata shuttle.output = "${output}" must be "logits" or "sigmoid".`)
  }
  const threshold = Number(meta['shuttle.threshold'])
  if (!(threshold > 0 && threshold < 1)) {
    throw new ModelProblem(
      `metadata shuttle.threshold = "${meta['shuttle.threshold']}" must be inside (0, 1).`
    )
  }
  const f1 = meta['shuttle.val_f1'] ? Number(meta['shuttle.val_f1']) : NaN
  // Optional (models exported before it default to non-overlapping windows): the window step the model was
  // evaluated with; 1 averages every frame over frames_in windows (a temporal ensemble).
  const windowStride = meta['shuttle.window_stride']
    ? int(meta, 'shuttle.window_stride', 1, framesIn)
    : framesIn
  // Optional (models exported before it read consecutive frames whatever the video's rate): the frame rate the
  // training windows were sampled at, from which the tracker spaces a window's frames on faster videos.
  const trainFpsText = meta['shuttle.train_fps']
  const trainFps = trainFpsText ? Number(trainFpsText) : null
  if (trainFps !== null && !(Number.isFinite(trainFps) && trainFps >= 1 && trainFps <= 1000)) {
    throw new ModelProblem(
      `metadata shuttle.train_fps = "${trainFpsText}" must be a frame rate from 1 to 1000 frames/s.`
    )
  }
  return {
    arch: meta['shuttle.arch'] || 'unknown',
    framesIn,
    framesOut,
    height: int(meta, 'shuttle.input_height', 8, 4096),
    width: int(meta, 'shuttle.input_width', 8, 4096),
    background: background === 'true',
    output,
    threshold,
    trainedOn: meta['shuttle.trained_on'] ?? '',
    valF1: Number.isFinite(f1) ? f1 : null,
    version: meta['shuttle.version'] ?? '',
    channels: 3 * framesIn + (background === 'true' ? 3 : 0),
    windowStride,
    trainFps,
    thresholdsByStride: parseThresholdsByStride(meta['shuttle.thresholds_by_stride'], framesIn)
  }
}

/** One graph input or output as onnxruntime reports it (shape entries are numbers or symbolic names). */
export interface ValueInfo {
  name: string
  type?: string
  shape?: ReadonlyArray<number | string>
}

function shapeText(shape: ReadonlyArray<number | string>): string {
  return `[${shape.join(', ')}]`
}

function checkDims(
  what: string,
  v: ValueInfo,
  want: readonly [string, number, number, number],
  meaning: string
): void {
  if (v.type && v.type !== 'float32') throw new ModelProblem(`${what} "${v.name}" is ${v.type}, not float32.`)
  const shape = v.shape
  if (!shape || shape.length === 0) return // onnxruntime could not tell; the first run will check
  if (shape.length !== 4) {
    throw new ModelProblem(`${what} "${v.name}" has shape ${shapeText(shape)}; it must be 4-D ${meaning}.`)
  }
  for (let i = 1; i < 4; i++) {
    const d = shape[i]
    if (typeof d === 'number' && d > 0 && d !== want[i]) {
      throw new ModelProblem(
        `${what} "${v.name}" has shape ${shapeText(shape)} but the metadata asks for ` +
          `${shapeText(want)} ${meaning}: dimension ${i} is ${d}, not ${want[i]}.`
      )
    }
  }
}

/** Checks the graph's input `frames` and output `heatmaps` against the metadata. */
export function checkGraph(
  spec: ModelSpec,
  inputs: readonly ValueInfo[],
  outputs: readonly ValueInfo[]
): void {
  if (inputs.length !== 1 || inputs[0]?.name !== 'frames') {
    throw new ModelProblem(
      `the model's inputs are ${inputs.map((i) => `"${i.name}"`).join(', ') || 'none'}; it must have one, "frames".`
    )
  }
  const out = outputs.find((o) => o.name === 'heatmaps')
  if (!out) {
    throw new ModelProblem(
      `the model's outputs are ${outputs.map((o) => `"${o.name}"`).join(', ') || 'none'}; one must be "heatmaps".`
    )
  }
  const bg = spec.background ? ' + 3 for the background' : ''
  checkDims(
    'input',
    inputs[0],
    ['N', spec.channels, spec.height, spec.width],
    `(N, C = 3 × ${spec.framesIn} frames${bg}, H, W)`
  )
  checkDims('output', out, ['N', spec.framesOut, spec.height, spec.width], '(N, frames_out, H, W)')
}
