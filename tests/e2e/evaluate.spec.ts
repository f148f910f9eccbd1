// Runs in Node (Playwright, browser mode in Debian's Chromium): what a user does to evaluate the tracker —
// make a project from a generated, labelled rally, evaluate the bundled model on it from the Evaluate tab,
// read the table (the same F1 as `shuttle-studio eval` prints for the same data), open the worst frame in the
// frame view, and find the eval lane on the timeline.
import { expect, test } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { readLabelCsv } from '../../src/shared/labels/read'
import { writeLabelCsv } from '../../src/shared/labels/write'
import { startStudio, type RunningStudio } from './support/browser-mode'
import { openProject } from './support/studio-page'

const root = path.resolve(__dirname, '..', '..')
const cli = path.join(root, 'bin', 'shuttle-studio.cjs')
let studio: RunningStudio
let dir: string
let projectDir: string

/** The eval lane's colours (src/renderer/src/annotate/eval-lanes.ts), as RGB. */
const EVAL_RGB = ['#2e6b4a', '#38d9a9', '#ff9f43', '#a06cff', '#ff4d6d'].map((h) =>
  [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16))
)

test.beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'studio-evaluate-'))
  projectDir = path.join(dir, 'eval project')
  // 1280×720 like the broadcasts the bundled model learnt from.
  const synth = ['synth', '--out', projectDir, '--clips', '1', '--seconds', '2', '--size', '1280x720']
  execFileSync(process.execPath, [cli, ...synth, '--fps', '30', '--seed', '3'], { stdio: 'ignore' })
  plantLabelError(path.join(projectDir, 'match_s3', 'csv', 'clip_01_ball.csv'))
  studio = await startStudio()
})

test.afterAll(async () => {
  await studio?.stop()
  rmSync(dir, { recursive: true, force: true })
})

/**
 * Moves the labels of frames 50–54 (the shuttle is in flight there) 40 px to the right. The bundled model may
 * track this clip perfectly; against these labels its detections there are FP1 errors of about 40 px, so the
 * worst-frame list has a known entry whatever the model's quality.
 */
function plantLabelError(csvPath: string): void {
  const { points } = readLabelCsv(readFileSync(csvPath, 'utf8'))
  const moved = points.map((p) => (p.visible && p.frame >= 50 && p.frame <= 54 ? { ...p, x: p.x + 40 } : p))
  writeFileSync(csvPath, writeLabelCsv(moved))
}

/** F1 of the overall row as `eval --json` reports it, on the tracks the studio made (same cache folder). */
function cliF1(): number {
  const env = { ...process.env, SHUTTLE_CACHE_DIR: studio.cacheDir }
  const pred = path.join(dir, 'pred')
  const videos = path.join(projectDir, 'match_s3', 'video', 'clip_01.mp4')
  execFileSync(process.execPath, [cli, 'track', videos, '--out', pred, '--provider', 'cpu'], { env })
  const out = execFileSync(process.execPath, [cli, 'eval', '--pred', pred, '--gt', projectDir, '--json'], {
    env
  })
  return (JSON.parse(out.toString()) as { F1: number }).F1
}

test('evaluate the model, read the table, open the worst frame and see the eval lane', async ({ page }) => {
  test.setTimeout(300_000)
  await openProject(page, studio.url, projectDir)

  await page.getByTestId('tab-evaluate').click()
  await expect(page.getByTestId('evaluate')).toContainText('Frames nobody labelled')
  await expect(page.getByTestId('eval-model-a')).toHaveValue('mmfnet-small')
  await page.getByTestId('eval-start').click()
  const overall = page.locator('[data-testid="eval-row"][data-kind="overall"]')
  await expect(overall).toBeVisible({ timeout: 240_000 })
  await expect(page.getByTestId('eval-error')).toHaveCount(0)
  await expect(page.locator('[data-testid="eval-row"][data-kind="clip"]')).toContainText('match_s3/clip_01')

  // The same F1 as the command line on the same clip and model.
  const shown = await overall.getByTestId('eval-f1').innerText()
  expect(shown).toBe((100 * cliF1()).toFixed(1))

  // The worst FP1 (largest error) opens in the frame view at its frame.
  const worst = page.getByTestId('eval-worst-item').first()
  await expect(worst).toBeVisible()
  const frame = await worst.getAttribute('data-frame')
  expect(Number(frame)).toBeGreaterThanOrEqual(0)
  await worst.click()
  await expect(page.getByTestId('frame-canvas')).toHaveAttribute('data-shown-frame', frame!)
  await expect(page.getByTestId('frame-inspector')).toBeVisible()
  await expect(page.getByTestId('eval-frame')).toContainText(/FP1 \d+\.\d px/)

  // The timeline has the eval lane: its colours are drawn (no other lane uses them).
  const timeline = page.getByTestId('timeline')
  await expect
    .poll(
      () =>
        timeline.evaluate((c, colours) => {
          const canvas = c as HTMLCanvasElement
          const px = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data
          const seen = new Set<number>()
          for (let i = 0; i < px.length; i += 4) {
            const k = colours.findIndex(([r, g, b]) => px[i] === r && px[i + 1] === g && px[i + 2] === b)
            if (k >= 0) seen.add(k)
          }
          return [...seen].sort()
        }, EVAL_RGB),
      { timeout: 10_000 }
    )
    .toContain(4) // FP1's colour, at least: the frame just opened is one
})
