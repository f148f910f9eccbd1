// Runs in plain Node (the command line): `shuttle-studio serve` — browser mode: the backend and the built
// renderer on 127.0.0.1 with a random token in the URL.
import path from 'node:path'
import type { Command } from 'commander'
import { studioCacheDir } from '../../backend/app-paths'
import { startBrowserServer } from '../../backend/hosts/browser-server'
import { createBackend } from '../../backend/services'
import { packageVersion, rendererDir } from '../paths'

interface ServeOptions {
  host: string
  port: string
  demoVideo?: string
  json?: boolean
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Start the studio in browser mode (backend + renderer on 127.0.0.1, token-protected URL)')
    .option(
      '--host <host>',
      'address to bind; anything but loopback exposes your videos to the network',
      '127.0.0.1'
    )
    .option('--port <port>', 'port (0 picks a free one)', '0')
    .option('--demo-video <path>', 'video the studio offers to open first')
    .option('--json', 'print one JSON line {url, port, token} instead of prose (for scripts and tests)')
    .action(async (o: ServeOptions) => {
      const port = Number(o.port)
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new Error(`--port must be an integer from 0 to 65535, not "${o.port}".`)
      }
      const backend = await createBackend({
        host: 'browser',
        version: packageVersion(),
        cacheDir: studioCacheDir(),
        demoVideo: o.demoVideo ? path.resolve(o.demoVideo) : null,
        // Not the working folder (the picker would open among the server's own files): the backend falls back
        // to the open project, the last one opened, then the home folder.
        startDir: o.demoVideo ? path.dirname(path.resolve(o.demoVideo)) : undefined
      })
      const server = await startBrowserServer({ backend, rendererDir: rendererDir(), host: o.host, port })
      if (o.json) {
        console.log(JSON.stringify({ url: server.url, port: server.port, token: server.token }))
      } else {
        console.log(
          `Shuttle Studio (browser mode) is running. Open this address in your browser:\n\n  ${server.url}\n`
        )
        console.log('Press Ctrl+C to stop.')
      }
      const stop = async (): Promise<void> => {
        await server.close()
        backend.dispose()
        process.exit(0)
      }
      process.once('SIGINT', () => void stop())
      process.once('SIGTERM', () => void stop())
    })
}
