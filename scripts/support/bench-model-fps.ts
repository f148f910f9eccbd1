// Runs in plain Node (scripts/bench-track.ts): how fast the model alone runs, in the same inference sessions the
// tracker uses (inference-pool.ts), with no decoding around it.
import type { LoadedModel } from '../../src/backend/tracking'
import { InferencePool } from '../../src/backend/tracking/inference-pool'
import { IN_FLIGHT } from '../../src/backend/tracking/pipeline'
import type { ProviderChoice } from '../../src/backend/tracking/providers'
import { cpuMark, cpuSince } from './bench-cpu'

/** Video frames per second the model alone gets through: windows/s × the window stride (new frames per
 *  window: frames_in without overlap, 1 for the temporal ensemble), same batch. */
export async function modelOnlyFps(
  model: LoadedModel,
  batch: number,
  provider: ProviderChoice,
  spin: boolean,
  o: { seconds?: number; workers?: number } = {}
): Promise<{ fps: number; provider: string; cpuMs: number }> {
  const s = model.spec
  const client = await InferencePool.start(model.path, s, { provider, spin, workers: o.workers })
  try {
    const dims = [batch, s.channels, s.height, s.width]
    const make = (): Float32Array => {
      const input = new Float32Array(batch * s.channels * s.height * s.width)
      for (let i = 0; i < input.length; i++) input[i] = 0.5 + 0.5 * Math.sin(i * 0.001)
      return input
    }
    // Two calls in flight for each session, as the pipeline keeps them (pipeline.ts IN_FLIGHT): no session
    // waits for its next input, so this is the network's own pace and the pipeline cannot beat it by
    // overlapping round trips. Each call's buffers are lent back to the next, as the pipeline reuses its own.
    let flying = Array.from({ length: IN_FLIGHT * client.size }, () => client.run(make(), dims))
    const next = async (): Promise<void> => {
      const done = await flying[0]!
      flying = [...flying.slice(1), client.run(done.input, dims, done.data)]
    }
    for (let i = 0; i < flying.length; i++) await next() // warm-up: every session runs at least once
    const t0 = performance.now()
    const cpu0 = cpuMark()
    let n = 0
    while (performance.now() - t0 < (o.seconds ?? 8) * 1000 || n < 3) {
      await next()
      n++
    }
    const secs = (performance.now() - t0) / 1000
    const frames = n * batch * s.windowStride
    const cpuMs = (cpuSince(cpu0).self * 1000) / frames
    await Promise.all(flying)
    return { fps: frames / secs, provider: client.providerNote, cpuMs }
  } finally {
    await client.close()
  }
}
