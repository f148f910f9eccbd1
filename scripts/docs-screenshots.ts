// Runs in plain Node (scripts): makes the screenshots under docs/ — the studio at work on the demo project
// (frame, labels, loupe, timeline, triage) and the analysis view with a calibrated court — by driving the
// real studio in browser mode with Chromium. `npx tsx scripts/docs-screenshots.ts` after `npm run build`.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { startStudioInBrowser } from './support/studio-browser'

const root = path.resolve(__dirname, '..')

async function main(): Promise<void> {
  const cli = path.join(root, 'bin', 'shuttle-studio.cjs')
  const demoVideo = execFileSync(process.execPath, [cli, 'demo', '--print-path'], { encoding: 'utf8' }).trim()
  const projectDir = path.resolve(demoVideo, '..', '..', '..')
  const truth = JSON.parse(readFileSync(path.resolve(demoVideo, '..', '..', 'synth.json'), 'utf8')) as {
    court: { halfWidth: number }
    camera: { courtCornersImage: [number, number][]; projection3x4: number[] }
  }

  const { url, browser, close } = await startStudioInBrowser(['--demo-video', demoVideo])
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    await page.goto(url)
    await page.waitForSelector('[data-testid="frame-inspector"]', { timeout: 60_000 })
    await page.getByTestId('scrubber').fill('52')
    await page.waitForSelector('[data-shown-frame="52"]')
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
    await page.screenshot({ path: path.join(root, 'docs', 'studio-frames.png') })

    await page.getByTestId('show-keys').click()
    await page.waitForTimeout(300)
    await page.screenshot({ path: path.join(root, 'docs', 'studio-keys.png') })
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
    await page.screenshot({ path: path.join(root, 'docs', 'studio-analysis.png') })
    console.log(`screenshots written to docs/ from ${projectDir}`)
  } finally {
    await close()
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
