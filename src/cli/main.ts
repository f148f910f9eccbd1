// Runs in plain Node (the command line): `shuttle-studio <command>`. Each command lives in its own module
// under ./commands and registers itself here; the interface is scripted against by other tools, keep it stable.
import { Command } from 'commander'
import { registerDemo } from './commands/demo'
import { registerServe } from './commands/serve'
import { registerSynth } from './commands/synth'
import { registerEval } from './commands/eval'
import { registerAnalyse } from './commands/analyse'
import { registerTrack } from './commands/track'
import { registerAdapt } from './commands/adapt'
import { registerRenumber } from './commands/renumber'

export function buildProgram(): Command {
  const program = new Command()
  program
    .name('shuttle-studio')
    .description('Track tiny fast balls in match video: serve the studio, track, evaluate, synthesise.')
    .showHelpAfterError()
  registerServe(program)
  registerSynth(program)
  registerDemo(program)
  registerEval(program)
  registerAnalyse(program)
  registerTrack(program)
  registerAdapt(program)
  registerRenumber(program)
  return program
}

export async function main(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv)
}
