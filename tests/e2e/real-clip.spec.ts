// Runs in Node (Playwright, browser mode in Debian's Chromium): the annotation studio's promise on a real
// broadcast clip — take an unlabelled clip of the real val set, run the bundled tracker on it, fill the frames
// from the tracker, then walk every frame with the keyboard as a reviewer does: accept the model's point where
// it is right (E), mark not visible where it is wrong about that (X), and point at the shuttle and press F
// where the model missed it. The "reviewer's eyes" are the clip's original labels. The exported CSV must then score F1 = 1.0
// against those labels with `shuttle-studio eval`, and the library must count every frame reviewed.
// Needs the real footage beside the repository (never committed); skips with a message without it.
import { expect, test, type Page } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync
} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { readLabelCsv } from '../../src/shared/labels/read'
import type { LabelPoint } from '../../src/shared/labels/types'
import { startStudio, type RunningStudio } from './support/browser-mode'
import { openClip, openProject, videoPointOnPage } from './support/studio-page'

const root = path.resolve(__dirname, '..', '..')
const VAL = process.env.SHUTTLE_REAL_VAL ?? path.resolve(root, '..', 'shared', 'data', 'real', 'val')
const cli = path.join(root, 'bin', 'shuttle-studio.cjs')

/** Frame → label of a TrackNet CSV (pixels; extra columns such as Confidence and Source are ignored). */
function readRows(file: string): Map<number, LabelPoint> {
  return new Map(readLabelCsv(readFileSync(file, 'utf8')).points.map((p) => [p.frame, p]))
}

/** Copies a TrackNet-layout folder into fresh, writable folders (the shared data is read-only). */
function copyDataset(from: string, to: string): void {
  for (const match of readdirSync(from)) {
    for (const sub of ['video', 'csv']) {
      const src = path.join(from, match, sub)
      if (!existsSync(src)) continue
      mkdirSync(path.join(to, match, sub), { recursive: true })
      for (const f of readdirSync(src)) copyFileSync(path.join(src, f), path.join(to, match, sub, f))
    }
  }
}

/** The shortest labelled clip of the val set (the test walks every one of its frames). */
function shortestClip(): { match: string; clip: string; video: string; csv: string } | null {
  if (!existsSync(VAL)) return null
  let best: { match: string; clip: string; video: string; csv: string; n: number } | null = null
  for (const match of readdirSync(VAL).sort()) {
    const csvDir = path.join(VAL, match, 'csv')
    if (!existsSync(csvDir)) continue
    for (const f of readdirSync(csvDir).sort()) {
      if (!f.endsWith('_ball.csv')) continue
      const clip = f.slice(0, -'_ball.csv'.length)
      const video = path.join(VAL, match, 'video', `${clip}.mp4`)
      const csv = path.join(csvDir, f)
      const n = readFileSync(csv, 'utf8').split('\n').length
      if (existsSync(video) && (!best || n < best.n)) best = { match, clip, video, csv, n }
    }
  }
  return best
}

const picked = shortestClip()
test.skip(!picked, `the real val set is not at ${VAL} (it is never committed; set SHUTTLE_REAL_VAL)`)

let studio: RunningStudio
let dir: string

test.beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'studio-real-'))
  studio = await startStudio()
})
test.afterAll(async () => {
  await studio?.stop()
  rmSync(dir, { recursive: true, force: true })
})

async function frameNow(page: Page, n: number): Promise<void> {
  await expect(page.getByTestId('frame-canvas')).toHaveAttribute('data-shown-frame', String(n))
}

test('track a real clip, review it with the keyboard, export labels that score F1 = 1.0', async ({
  page
}) => {
  test.setTimeout(600_000)
  const { match, clip, video, csv } = picked!
  const truth = readRows(csv)
  const projectDir = path.join(dir, 'review')
  mkdirSync(path.join(projectDir, match, 'video'), { recursive: true })
  copyFileSync(video, path.join(projectDir, match, 'video', `${clip}.mp4`)) // the video only: no labels

  await page.setViewportSize({ width: 1600, height: 1000 })
  await openProject(page, studio.url, projectDir)
  await openClip(page, clip)
  await expect(page.getByTestId('frame-inspector')).toContainText('unlabelled')

  // Track with the bundled model: every unlabelled frame becomes its label once it is done.
  await page.getByTestId('tracking-start').click()
  await expect(page.getByTestId('tracking-status')).toContainText('done', { timeout: 300_000 })
  await expect(page.getByTestId('frame-inspector')).toContainText('model · unreviewed')

  // The tracker's own copy in the project: what the reviewer sees on each frame.
  const predDir = path.join(projectDir, '.studio', 'predictions')
  const predFile = readdirSync(predDir).find((f) => f.endsWith('.csv'))!
  const predicted = readRows(path.join(predDir, predFile))
  const size = await page
    .getByTestId('frame-canvas')
    .evaluate((c) => ({ w: (c as HTMLCanvasElement).width, h: (c as HTMLCanvasElement).height }))
  // A model point counts as right where the TrackNet tolerance would call it a hit (4 px at 512×288).
  const tol = (4 * size.w) / 512

  const frames = Math.max(...truth.keys()) + 1
  const used = { accept: 0, invisible: 0, place: 0 }
  for (let f = 0; f < frames; f++) {
    await frameNow(page, f)
    const t = truth.get(f)!
    const p = predicted.get(f)!
    if (!t.visible) {
      if (p.visible) {
        await page.keyboard.press('x') // the model saw a shuttle that is not there
        used.invisible++
      } else {
        await page.keyboard.press('e') // the model agrees it is not visible
        used.accept++
      }
    } else if (p.visible && Math.hypot(p.x - t.x, p.y - t.y) <= tol) {
      await page.keyboard.press('e')
      used.accept++
    } else {
      // Missed or wrong: point at the shuttle and press F (a click would grab the model's point when it is
      // close by, which is how a point is dragged).
      const at = await videoPointOnPage(page, t.x, t.y)
      await page.mouse.move(at.x, at.y)
      await page.keyboard.press('f')
      await expect(page.getByTestId('frame-inspector')).toContainText('human · corrected')
      used.place++
      if (f < frames - 1) await page.keyboard.press('d')
    }
  }
  console.log(
    `reviewed ${frames} frames of ${match}/${clip}: ${used.accept} accepted (E), ${used.invisible} marked not visible (X), ${used.place} placed at the mouse (F)`
  )
  await expect(page.getByTestId('save-state')).toHaveText('saved')

  // Export, then score the export against the original labels with the command line.
  const predOut = path.join(dir, 'pred')
  mkdirSync(predOut)
  await page.getByTestId('export-path').fill(path.join(predOut, `${clip}.csv`))
  await page.getByTestId('export-go').click()
  await expect(page.getByTestId('export-done')).toContainText('rows written')
  const gt = path.join(dir, 'gt')
  mkdirSync(path.join(gt, match, 'video'), { recursive: true })
  mkdirSync(path.join(gt, match, 'csv'), { recursive: true })
  symlinkSync(video, path.join(gt, match, 'video', `${clip}.mp4`))
  copyFileSync(csv, path.join(gt, match, 'csv', `${clip}_ball.csv`))
  const score = JSON.parse(
    execFileSync(process.execPath, [cli, 'eval', '--pred', predOut, '--gt', gt, '--json'], {
      encoding: 'utf8'
    })
  ) as { F1: number; precision: number; recall: number }
  expect(score).toMatchObject({ F1: 1, precision: 1, recall: 1 })

  // Every frame is reviewed, and the library says so.
  await page.getByTestId('tab-library').click()
  await expect(page.locator(`[data-testid="clip-${clip}"]`)).toContainText(`${frames} / ${frames}`)
})

test('the Evaluate tab, `eval` and the training pipeline give the same F1 on the real val set', async ({
  page
}) => {
  test.setTimeout(600_000)
  const projectDir = path.join(dir, 'val project')
  copyDataset(VAL, projectDir) // the val clips with their labels, as a project
  await openProject(page, studio.url, projectDir)

  // The raw detections, as the training pipeline scores them (no rectification).
  await page.getByTestId('tab-evaluate').click()
  await expect(page.getByTestId('eval-model-a')).toHaveValue('mmfnet-small')
  await page.getByLabel('rectified').first().uncheck()
  await page.getByTestId('eval-start').click()
  const overall = page.locator('[data-testid="eval-row"][data-kind="overall"]')
  await expect(overall).toBeVisible({ timeout: 540_000 })
  const shown = await overall.getByTestId('eval-f1').innerText()

  // `track --no-rectify` then `eval` over the same val root, in the studio's cache folder.
  const env = { ...process.env, SHUTTLE_CACHE_DIR: studio.cacheDir }
  const videos = readdirSync(VAL)
    .sort()
    .flatMap((m) =>
      existsSync(path.join(VAL, m, 'video'))
        ? readdirSync(path.join(VAL, m, 'video')).map((v) => path.join(VAL, m, 'video', v))
        : []
    )
  const pred = path.join(dir, 'val-pred')
  execFileSync(process.execPath, [cli, 'track', ...videos, '--out', pred, '--no-rectify'], { env })
  const { F1 } = JSON.parse(
    execFileSync(process.execPath, [cli, 'eval', '--pred', pred, '--gt', VAL, '--json'], { encoding: 'utf8' })
  ) as { F1: number }
  expect(shown).toBe((100 * F1).toFixed(1))

  // The training pipeline's figure for this model on the same val set is written into the model itself.
  // (the model list of the tracking panel, shown with an open clip).
  await page.getByTestId('tab-library').click()
  await openClip(page)
  const label = await page
    .getByTestId('tracking-model')
    .locator('option', { hasText: 'mmfnet-small' })
    .innerText()
  const trained = Number(/val F1 ([\d.]+)/.exec(label)![1])
  console.log(`val F1: Evaluate tab ${shown} %, eval ${F1.toFixed(4)}, training pipeline ${trained}`)
  expect(Math.abs(F1 - trained)).toBeLessThanOrEqual(0.01)
})
