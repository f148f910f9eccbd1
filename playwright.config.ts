// Runs at test time (Node): end-to-end tests. Browser mode drives Debian's Chromium (Playwright's own browser
// downloads are not used); desktop tests launch Electron where its binary is installed and skip otherwise.
import { defineConfig } from '@playwright/test'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

// The studios these tests start inherit it: their tracker runs the exact fp32 model, not whichever precision a
// one-off speed measurement on a loaded machine picked, so figures compared across runs stay the same.
process.env.SHUTTLE_PRECISION ??= 'fp32'

export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 90_000,
  workers: 1,
  reporter: [['list']],
  use: {
    headless: true,
    launchOptions: {
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run'
      ]
    }
  }
})
