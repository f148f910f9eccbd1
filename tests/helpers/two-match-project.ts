// Runs in Node (Vitest): a generated TrackNet-layout project of two matches with one labelled 2-second clip
// each (320x180, 30 fps, fixed seeds), each clip split by time for adaptation
// (too few clips to hold one back whole); seed 4 shows the shuttle in 20 of its first 30 frames.
import { runSynth } from '../../src/cli/commands/synth'

export async function makeTwoMatchProject(projectDir: string): Promise<void> {
  for (const [match, seed] of [
    ['match_a', '4'],
    ['match_b', '5']
  ] as const) {
    await runSynth(
      { out: projectDir, match, clips: '1', seconds: '2', size: '320x180', fps: '30', seed },
      { progress: false, log: () => undefined }
    )
  }
}
