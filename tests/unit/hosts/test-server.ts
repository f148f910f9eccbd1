// Runs in Node (Vitest helper): a real backend behind browser mode's real HTTP+WebSocket server on 127.0.0.1,
// serving a one-line renderer page from a temporary folder, for the tests that talk to the server over sockets.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { startBrowserServer, type BrowserServer } from '../../../src/backend/hosts/browser-server'
import { createBackend } from '../../../src/backend/services'

export interface TestServer {
  server: BrowserServer
  /** Closes the server, disposes the backend and removes the temporary folder. */
  stop: () => Promise<void>
}

/** Starts a backend and its browser-mode server in a fresh temporary folder named after `prefix`. */
export async function startTestServer(prefix: string): Promise<TestServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix))
  const rendererDir = path.join(dir, 'renderer')
  mkdirSync(rendererDir)
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>studio</title>')
  const backend = await createBackend({ host: 'browser', version: 'test', cacheDir: path.join(dir, 'cache') })
  const server = await startBrowserServer({ backend, rendererDir })
  return {
    server,
    stop: async () => {
      await server.close()
      backend.dispose()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

/**
 * Starts the server before the calling test file's tests and stops it after them (call at the top level).
 * Returns its address parts, readable once the tests run.
 */
export function serveDuringFile(prefix: string): { readonly port: number; readonly token: string } {
  let running: TestServer | undefined
  beforeAll(async () => {
    running = await startTestServer(prefix)
  })
  afterAll(async () => {
    await running?.stop()
  })
  const started = (): BrowserServer => {
    if (!running) throw new Error('the test server is not started yet: read it inside a test')
    return running.server
  }
  return {
    get port() {
      return started().port
    },
    get token() {
      return started().token
    }
  }
}
