// Runs in plain Node (the command line): `shuttle-studio demo` — makes the demo project (one generated match,
// rendered with ffmpeg at first run into the cache folder) and prints where it is.
import type { Command } from 'commander'
import { studioCacheDir } from '../../backend/app-paths'
import { locateFfmpeg } from '../../backend/ffmpeg/locate'
import { ensureDemoProject } from '../../backend/synth/demo'

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('Make the demo project (a generated broadcast match) if it is not there yet')
    .option('--dir <dir>', 'folder to put the demo project in', studioCacheDir())
    .option('--print-path', 'print only the first demo video path (for scripts)')
    .action(async (o: { dir: string; printPath?: boolean }) => {
      const ffmpeg = await locateFfmpeg()
      if (!o.printPath) console.log('Preparing the demo project (rendered once, takes a few seconds)…')
      const demo = await ensureDemoProject(o.dir, ffmpeg)
      if (o.printPath) console.log(demo.videos[0])
      else console.log(`Demo project: ${demo.projectDir}\n${demo.videos.map((v) => `  ${v}`).join('\n')}`)
    })
}
