// Runs in plain Node (scripts): makes docs/studio-analysis-real.png — the analysis view on a REAL broadcast
// clip (its labels, a court calibrated by clicking its four outer corners, rallies, hits, speeds, landing
// points) by driving the real studio in browser mode with Chromium. The footage is not ours, so the video
// frame is blurred beyond recognition in the picture: what is shown is the studio's analysis, not the
// broadcast. After `npm run build`:
//   npx tsx scripts/docs-real-analysis.ts --video V.mp4 --labels V_ball.csv --corners "x,y x,y x,y x,y" [--frame N]
// Corners in video pixels: near-left, near-right, far-right, far-left (the order the studio asks for). For the
// committed picture: ../shared/data/real/val/yamaguchi-v-an-s-y b00009, corners "334,679 943,679 861,371 420,371",
// frame 250.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { startStudioInBrowser } from './support/studio-browser'

const root = path.resolve(__dirname, '..')

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      video: { type: 'string' },
      labels: { type: 'string' },
      corners: { type: 'string' },
      frame: { type: 'string', default: '250' },
      out: { type: 'string', default: path.join(root, 'docs', 'studio-analysis-real.png') }
    }
  })
  if (!values.video || !values.labels || !values.corners)
    throw new Error('usage: --video V.mp4 --labels V_ball.csv --corners "x,y x,y x,y x,y" [--frame N]')
  const corners = values.corners
    .trim()
    .split(/\s+/)
    .map((p) => p.split(',').map(Number) as [number, number])
  if (corners.length !== 4 || corners.some((c) => c.length !== 2 || c.some((v) => !Number.isFinite(v))))
    throw new Error('--corners needs four "x,y" pairs')
  const clip = path.basename(values.video, path.extname(values.video))

  // A throwaway project outside the repository holding the clip and its labels.
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'docs-real-'))
  const project = path.join(tmp, 'real')
  mkdirSync(path.join(project, 'match', 'video'), { recursive: true })
  mkdirSync(path.join(project, 'match', 'csv'), { recursive: true })
  copyFileSync(values.video, path.join(project, 'match', 'video', `${clip}.mp4`))
  copyFileSync(values.labels, path.join(project, 'match', 'csv', `${clip}_ball.csv`))

  const { url, browser, close } = await startStudioInBrowser([], {
    SHUTTLE_CACHE_DIR: path.join(tmp, 'cache')
  })
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    await page.goto(url)
    await page.getByTestId('tab-library').click()
    await page.getByTestId('project-dir').fill(project)
    await page.getByTestId('project-create').click()
    await page.locator(`[data-testid="clip-${clip}"] button.link`).click()
    await page.waitForSelector('[data-testid="frame-inspector"]')
    await page.getByTestId('scrubber').fill(values.frame)
    await page.waitForSelector(`[data-shown-frame="${values.frame}"]`)

    await page.getByTestId('tab-analysis').click()
    await page.waitForSelector('[data-testid="court-calibration"]')
    const canvas = page.getByTestId('frame-canvas')
    const box = (await canvas.boundingBox())!
    const size = await canvas.evaluate((c) => ({
      w: (c as HTMLCanvasElement).width,
      h: (c as HTMLCanvasElement).height
    }))
    for (const [x, y] of corners)
      await page.mouse.click(
        box.x + ((x + 0.5) / size.w) * box.width,
        box.y + ((y + 0.5) / size.h) * box.height
      )
    // The tab first looks for frames the broadcast shows twice (a 25 -> 30 fps conversion), to time by picture.
    await page.waitForFunction(
      () => !document.querySelector('[data-testid="analysis-timing"]')?.textContent?.includes('finding')
    )
    await page.getByTestId('analyse-button').click()
    await page.waitForSelector('[data-testid="rally-row"]')
    await page.mouse.move(5, 5)
    // Not ours to publish: the broadcast picture itself is blurred away, the studio's drawing stays sharp.
    await canvas.evaluate((c) => ((c as HTMLCanvasElement).style.filter = 'blur(18px) brightness(0.7)'))
    await page.waitForTimeout(1000)
    await page.screenshot({ path: values.out })
    console.log(`wrote ${values.out}`)
  } finally {
    await close()
    rmSync(tmp, { recursive: true, force: true })
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
