// Runs in plain Node: the bundle entry of the command line (out/main/cli.js), loaded by bin/shuttle-studio.cjs.
export { main } from './main'
