// Runs in Node (Playwright, browser mode): a user calibrates the court by clicking its four corners and the
// net posts' tops on a generated rally (whose true camera is known), analyses the clip's labels, checks the rally
// table's top speed against the chart and the hits drawn on the frame, then deletes, adds and moves a hit. A
// second rally, converted from 25 to 30 fps as broadcasts are, is timed by its pictures and says so.
import { expect, test, type Page } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, renameSync, rmSync } from 'node:fs'
import path from 'node:path'
import { testFfmpeg } from './support/ffmpeg'
import { startStudio, type RunningStudio } from './support/browser-mode'
import { goToFrame, openClip, openProject } from './support/studio-page'
import { synthProject } from './support/synth-project'

let studio: RunningStudio
let dir: string
let projectDir: string

interface SynthTruth {
  court: { halfWidth: number }
  camera: { courtCornersImage: [number, number][]; projection3x4: number[] }
}

test.beforeAll(async () => {
  ;({ dir, projectDir } = synthProject('studio-analysis-', 'rally', { seconds: 4, size: '640x360', seed: 5 }))
  studio = await startStudio()
})

test.afterAll(async () => {
  await studio?.stop()
  rmSync(dir, { recursive: true, force: true })
})

function project(P: number[], x: number, y: number, z: number): [number, number] {
  const u = P[0]! * x + P[1]! * y + P[2]! * z + P[3]!
  const v = P[4]! * x + P[5]! * y + P[6]! * z + P[7]!
  const w = P[8]! * x + P[9]! * y + P[10]! * z + P[11]!
  return [u / w, v / w]
}

/** The chart's plotted points (frame → km/h) as it lists them. */
async function chartPoints(page: Page): Promise<Map<number, number>> {
  const text = (await page.getByTestId('speed-chart').locator('..').getAttribute('data-points')) ?? ''
  return new Map(
    text
      .split(' ')
      .filter(Boolean)
      .map((p) => p.split(':').map(Number) as [number, number])
  )
}

async function hitFrames(page: Page): Promise<number[]> {
  return page
    .getByTestId('hit-row')
    .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-frame'))))
}

/** The selected rally's top speed in the table is the largest of its hits' points in the chart. */
async function expectTableMatchesChart(page: Page): Promise<void> {
  const points = await chartPoints(page)
  const speeds = (await hitFrames(page)).flatMap((f) => (points.has(f) ? [points.get(f)!] : []))
  expect(speeds.length).toBeGreaterThan(0)
  const row = page.locator('[data-testid="rally-row"].selected')
  await expect(row.getByTestId('rally-top-speed')).toHaveText(Math.max(...speeds).toFixed(0))
}

test('calibrate the court by clicking, then analyse the rally', async ({ page }) => {
  const match = readdirSync(projectDir).find((d) => !d.startsWith('.'))!
  const truth = JSON.parse(readFileSync(path.join(projectDir, match, 'synth.json'), 'utf8')) as SynthTruth
  await openProject(page, studio.url, projectDir)
  await openClip(page)
  await page.getByTestId('tab-analysis').click()
  await expect(page.getByTestId('analysis-source')).toContainText("clip's labels")

  const canvas = page.getByTestId('frame-canvas')
  await expect(canvas).toHaveAttribute('data-shown-frame', '0')
  const box = (await canvas.boundingBox())!
  const click = (x: number, y: number) =>
    page.mouse.click(box.x + ((x + 0.5) / 640) * box.width, box.y + ((y + 0.5) / 360) * box.height)
  for (const [x, y] of truth.camera.courtCornersImage) await click(x, y)
  await expect(page.getByTestId('calibration-status')).toContainText('Court fitted')
  const W = truth.court.halfWidth
  for (const side of [-W, W]) {
    const [x, y] = project(truth.camera.projection3x4, side, 0, 1.55)
    await click(x, y)
  }
  const status = page.getByTestId('calibration-status')
  await expect(status).toContainText('reprojection error')
  const error = Number(/reprojection error ([\d.]+) px/.exec((await status.textContent()) ?? '')?.[1])
  expect(error).toBeLessThan(2)

  // A video made at 30 fps has no repeated frames: the analysis is timed frame by frame, and says nothing.
  await expect(page.getByTestId('analysis-timing')).toHaveText('')
  await page.getByTestId('analyse-button').click()
  await expect(page.getByTestId('rally-row').first()).toBeVisible()
  await expect(page.getByTestId('analysis-view')).toContainText('calibrated')

  // One speed definition, named; the table's top speed comes from the chart's list.
  await page.getByTestId('rally-row').first().click()
  await expect(page.getByTestId('speed-method')).toContainText('3-D flight fit')
  const rows = page.getByTestId('hit-row')
  await expect(rows.first()).toBeVisible()
  const frames = await hitFrames(page)
  expect(frames.length).toBeGreaterThanOrEqual(2)
  await expectTableMatchesChart(page)

  // The hit is drawn on the frame at its contact, with the shuttle.
  const f = frames[1]!
  await goToFrame(page, f)
  const overlay = page.getByTestId('analysis-overlay')
  await expect(overlay).toHaveAttribute('data-marks', new RegExp(`(^| )hit:${f}\\*`))
  await expect(overlay).toHaveAttribute('data-marks', new RegExp(`shuttle:${f}\\*`))

  // Delete it, add it back at the current frame, then move it one frame on (a hand edit, marked so).
  const shots = page.locator('[data-testid="rally-row"].selected td').nth(2)
  const row = (frame: number) => page.locator(`[data-testid="hit-row"][data-frame="${frame}"]`)
  await row(f).getByTestId('hit-delete').click()
  await expect(rows).toHaveCount(frames.length - 1)
  await expect(shots).toHaveText(String(frames.length - 1))
  await expect(overlay).not.toHaveAttribute('data-marks', new RegExp(`hit:${f}\\*`))
  await page.getByTestId('hit-add').click()
  await expect(rows).toHaveCount(frames.length)
  // Adding a hit where a detected one was deleted undoes the deletion.
  await expect(row(f)).not.toContainText('edited')
  await goToFrame(page, f + 1)
  await row(f).getByTestId('hit-move').click()
  await expect(row(f + 1)).toContainText('edited')
  await expect(row(f)).toHaveCount(0)
  await expect(shots).toHaveText(String(frames.length))
  await expect(overlay).toHaveAttribute('data-marks', new RegExp(`hit:${f + 1}\\*`))
  await expectTableMatchesChart(page)
})

test('a rally converted from 25 to 30 fps is timed by its pictures', async ({ page }) => {
  const made = synthProject('studio-analysis-25-', 'rally', { seconds: 4, size: '640x360', seed: 6 })
  try {
    // Drop to 25 pictures a second and back to 30: every sixth frame repeats the one before, as in the
    // broadcasts' frame-rate conversion. The labels stay as they were (one row per frame).
    const match = readdirSync(made.projectDir).find((d) => !d.startsWith('.'))!
    const videoDir = path.join(made.projectDir, match, 'video')
    const video = path.join(videoDir, readdirSync(videoDir)[0]!)
    const converted = path.join(made.dir, 'converted.mp4')
    execFileSync(testFfmpeg(), [
      '-v',
      'error',
      '-i',
      video,
      '-vf',
      'fps=25,fps=30',
      '-c:v',
      'libx264',
      '-crf',
      '18',
      '-y',
      converted
    ])
    renameSync(converted, video)
    await openProject(page, studio.url, made.projectDir)
    await openClip(page)
    await page.getByTestId('tab-analysis').click()
    await expect(page.getByTestId('analysis-timing')).toContainText(
      /timed by picture: (1[5-9]|2[0-1]) frames repeat/
    )
    await page.getByTestId('analyse-button').click()
    await expect(page.getByTestId('rally-row').first()).toBeVisible()
    await expect(page.getByTestId('analysis-view')).not.toContainText('changed: re-analyse')
  } finally {
    rmSync(made.dir, { recursive: true, force: true })
  }
})
