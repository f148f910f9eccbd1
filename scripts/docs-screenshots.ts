// Runs in plain Node (scripts): makes the screenshots under docs/ — the studio at work on the demo project
// (frame, labels, loupe, the toolbar of view aids, the look list with its reasons, timeline), the analysis view
// with a calibrated court, and the look list of the demo's unlabelled clip after Track — by driving the real
// studio in browser mode with Debian's Chromium (or CHROMIUM_PATH) through playwright-core.
// `npm run build`, then `npx tsx scripts/docs-screenshots.ts`; each PNG is redrawn with a palette to stay
// under 300 kB.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { shrinkPng } from './support/small-png'
import { startStudioInBrowser } from './support/studio-browser'

const root = path.resolve(__dirname, '..')
const MAX_BYTES = 300_000

/** Saves the page as docs/<name>.png, under MAX_BYTES. */
async function shoot(page: Page, name: string): Promise<void> {
  const file = path.join(root, 'docs', `${name}.png`)
  await page.screenshot({ path: file })
  const size = await shrinkPng(file, MAX_BYTES)
  console.log(`docs/${name}.png: ${Math.round(size / 1000)} kB`)
}

async function main(): Promise<void> {
  const cli = path.join(root, 'bin', 'shuttle-studio.cjs')
  // A demo project of its own in a temporary folder: every run starts from the same unlabelled second clip, and
  // the user's demo project is left as it was.
  const work = mkdtempSync(path.join(os.tmpdir(), 'studio-screenshots-'))
  const demoVideo = execFileSync(process.execPath, [cli, 'demo', '--dir', work, '--print-path'], {
    encoding: 'utf8'
  }).trim()
  const truth = JSON.parse(readFileSync(path.resolve(demoVideo, '..', '..', 'synth.json'), 'utf8')) as {
    court: { halfWidth: number }
    camera: { courtCornersImage: [number, number][]; projection3x4: number[] }
  }

  // A cache folder of its own too: the studio keeps its recent projects there, and this run's temporary demo
  // would otherwise stay in the developer's Library as a missing folder (and Track would read its cache).
  const { url, browser, close } = await startStudioInBrowser(['--demo-video', demoVideo], {
    SHUTTLE_CACHE_DIR: path.join(work, 'cache')
  })
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    await page.goto(url)
    await page.waitForSelector('[data-testid="frame-inspector"]', { timeout: 60_000 })
    // From frame 40, N goes to the next frame that needs a look: the look list highlights its entry.
    await page.getByTestId('scrubber').fill('40')
    await page.waitForSelector('[data-shown-frame="40"]')
    await page.keyboard.press('n')
    await page.waitForSelector('[data-testid="triage-panel"] [aria-current="true"]')
    await page.waitForFunction(
      () => document.querySelector('[data-testid="frame-canvas"]')?.getAttribute('data-shown-frame') !== '40'
    )
    await page.waitForTimeout(500)
    const canvas = page.getByTestId('frame-canvas')
    const box = (await canvas.boundingBox())!
    const size = await canvas.evaluate((c) => ({
      w: (c as HTMLCanvasElement).width,
      h: (c as HTMLCanvasElement).height
    }))
    const label = await page.getByTestId('frame-inspector').textContent()
    const m = /at ([\d.]+), ([\d.]+)/.exec(label ?? '')
    const [x, y] = m ? [Number(m[1]), Number(m[2])] : [size.w / 2, size.h / 2]
    await page.mouse.move(
      box.x + ((x + 0.5) / size.w) * box.width + 2,
      box.y + ((y + 0.5) / size.h) * box.height + 1
    )
    await page.waitForTimeout(500)
    await shoot(page, 'studio-frames')

    await page.getByTestId('show-keys').click()
    await page.waitForTimeout(300)
    await shoot(page, 'studio-keys')
    await page.getByTestId('show-keys').click()

    await page.getByTestId('tab-analysis').click()
    await page.waitForSelector('[data-testid="court-calibration"]')
    const abox = (await page.getByTestId('frame-canvas').boundingBox())!
    const click = (px: number, py: number) =>
      page.mouse.click(
        abox.x + ((px + 0.5) / size.w) * abox.width,
        abox.y + ((py + 0.5) / size.h) * abox.height
      )
    for (const [cx, cy] of truth.camera.courtCornersImage) await click(cx, cy)
    const P = truth.camera.projection3x4
    for (const side of [-truth.court.halfWidth, truth.court.halfWidth]) {
      const w = P[8]! * side + P[10]! * 1.55 + P[11]!
      await click((P[0]! * side + P[2]! * 1.55 + P[3]!) / w, (P[4]! * side + P[6]! * 1.55 + P[7]!) / w)
    }
    await page.getByTestId('analyse-button').click()
    await page.waitForTimeout(1500)
    await shoot(page, 'studio-analysis')

    // The demo's second clip has no labels: Track fills every frame with the model's guess, and the look list
    // says which of them need a person, and why.
    await page.getByTestId('tab-library').click()
    await page.locator('[data-testid="clip-clip_02"] button.link').click()
    await page.waitForSelector('[data-testid="frame-canvas"][data-shown-frame="0"]', { timeout: 60_000 })
    await page.getByTestId('tracking-start').click()
    await page.waitForSelector('[data-testid="track-fill"]', { timeout: 600_000 })
    await page.keyboard.press('n')
    await page.waitForSelector('[data-testid="triage-panel"] [aria-current="true"]')
    await page.waitForTimeout(800)
    await shoot(page, 'studio-look-list')
    console.log('screenshots written to docs/')
  } finally {
    await close()
    rmSync(work, { recursive: true, force: true })
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
