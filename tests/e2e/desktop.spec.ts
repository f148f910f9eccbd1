// Runs in Node (Playwright `_electron`): the desktop app itself — the security settings of its window, the
// bridge exposing exactly the contract, and frame-exact stepping through the custom protocol. Skips with a
// one-line reason where no Electron binary is installed.
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test'
import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import '../../src/preload/index.d'
import { methodNames } from '../../src/shared/api/contract'
import { makeTestVideo } from '../helpers/test-videos'
import { electronBinary } from './support/electron-binary'
import { readShownFrameNumber } from './support/read-frame'

const bin = electronBinary()
test.skip('missing' in bin, 'missing' in bin ? bin.missing : '')

let app: ElectronApplication
let video: string

test.beforeAll(async () => {
  if ('missing' in bin) return
  const dir = mkdtempSync(path.join(os.tmpdir(), 'studio-desktop-'))
  video = await makeTestVideo('bframes', dir)
  app = await electron.launch({
    executablePath: bin.path,
    args: [path.resolve(__dirname, '..', '..')],
    env: { ...process.env, SHUTTLE_CACHE_DIR: path.join(dir, 'cache') } as Record<string, string>
  })
})

test.afterAll(async () => {
  await app?.close()
})

test('the page is isolated from Node and sees only the contract', async () => {
  const page = await app.firstWindow()
  expect(page.url().startsWith('app://')).toBe(true)
  const globals = await page.evaluate(() => ({
    require: typeof (globalThis as { require?: unknown }).require,
    process: typeof (globalThis as { process?: unknown }).process,
    ipc: typeof (globalThis as { ipcRenderer?: unknown }).ipcRenderer
  }))
  expect(globals).toEqual({ require: 'undefined', process: 'undefined', ipc: 'undefined' })
  const exposed = await page.evaluate(() => Object.keys(window.shuttle?.api ?? {}).sort())
  expect(exposed).toEqual([...methodNames].sort())
  const opened = await page.evaluate(() => window.open('https://example.com'))
  expect(opened).toBeNull()
  expect(app.windows()).toHaveLength(1)
})

test('steps through exact frames served by the custom protocol', async () => {
  const page = await app.firstWindow()
  await page.getByTestId('video-path').fill(video)
  await page.getByTestId('open-path').click()
  const canvas = page.getByTestId('frame-canvas')
  await expect(canvas).toHaveAttribute('data-shown-frame', '0')
  for (const [key, expected] of [
    ['ArrowRight', 1],
    ['Shift+ArrowRight', 11],
    ['ArrowLeft', 10]
  ] as const) {
    await page.keyboard.press(key)
    await expect(canvas).toHaveAttribute('data-shown-frame', String(expected))
    expect(await readShownFrameNumber(page)).toBe(expected)
  }
})
