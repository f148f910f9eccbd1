#!/usr/bin/env node
// Runs in plain Node: the package's command line. The TypeScript sources are built into out/ by `npm run build`.
const path = require('node:path')
const fs = require('node:fs')
const entry = path.join(__dirname, '..', 'out', 'main', 'cli.js')
if (!fs.existsSync(entry)) {
  console.error('shuttle-studio is not built yet: run "npm run build" in ' + path.join(__dirname, '..'))
  process.exit(2)
}
require(entry)
  .main(process.argv)
  .catch((err) => {
    console.error(err && err.message ? err.message : String(err))
    process.exit(1)
  })
