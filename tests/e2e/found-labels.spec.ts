// Runs in Node (Playwright, browser mode in Debian's Chromium): ground truth copied into a project by hand
// before it is opened — the Library says what it found and counts the clip without opening it, the Evaluate
// tab scores every row of it, and the file is left as it was; then "Import labels…" reports in the same words.
import { expect, test } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { readLabelCsv } from '../../src/shared/labels/read'
import { writeLabelCsv } from '../../src/shared/labels/write'
import { startStudio, type RunningStudio } from './support/browser-mode'
import { openClip, openProject } from './support/studio-page'

const root = path.resolve(__dirname, '..', '..')
const cli = path.join(root, 'bin', 'shuttle-studio.cjs')
let studio: RunningStudio
let dir: string
let projectDir: string
let csv: string
let aside: string

// The second test imports into the clip the first one counted and evaluated.
test.describe.configure({ mode: 'serial' })

test.beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'studio-found-labels-'))
  projectDir = path.join(dir, 'project')
  const synth = ['synth', '--out', projectDir, '--clips', '1', '--seconds', '2', '--size', '1280x720']
  execFileSync(process.execPath, [cli, ...synth, '--fps', '30', '--seed', '5'], { stdio: 'ignore' })
  csv = path.join(projectDir, 'match_s5', 'csv', 'clip_01_ball.csv')
  aside = path.join(dir, 'clip_01_ball.csv')
  renameSync(csv, aside)
  studio = await startStudio()
})

test.afterAll(async () => {
  await studio?.stop()
  rmSync(dir, { recursive: true, force: true })
})

test('a CSV copied in before opening is reported, counted in the Library and scored in the Evaluate tab', async ({
  page
}) => {
  test.setTimeout(300_000)
  // The project knows the clip before its labels arrive.
  await openProject(page, studio.url, projectDir)
  const row = page.getByTestId('clip-clip_01')
  await expect(row).toContainText('0 visible')
  // Its length is known once the video has been opened, not before; the row says so instead of a "?".
  await expect(row).toContainText('0 reviewed · not opened yet')

  copyFileSync(aside, csv)
  const truth = readFileSync(csv, 'utf8')
  const points = readLabelCsv(truth).points
  const visible = points.filter((p) => p.visible).length
  await openProject(page, studio.url, projectDir)
  await expect(page.getByTestId('library')).toContainText(
    `match_s5/clip_01: labels found in match_s5/csv/clip_01_ball.csv: ${points.length} frames set.`
  )
  await expect(row).toContainText(`${visible} visible`)

  await page.getByTestId('tab-evaluate').click()
  await page.getByTestId('eval-start').click()
  const clipRow = page.locator('[data-testid="eval-row"][data-kind="clip"]')
  await expect(clipRow).toBeVisible({ timeout: 240_000 })
  await expect(clipRow).toContainText('match_s5/clip_01')
  // Name, then TP, FP1, FP2, FN, TN: every row of the file is scored, and nothing else (the exact figures
  // against `eval` are tests/unit/evaluation/found-labels.test.ts, where both score the same track).
  const cells = await clipRow.locator('td').allInnerTexts()
  const counts = cells.slice(1, 6).map(Number)
  expect(counts.reduce((a, b) => a + b, 0)).toBe(points.length)
  expect(readFileSync(csv, 'utf8')).toBe(truth)
})

test('Import labels… says what a file would do and what it did, in the same words', async ({ page }) => {
  await openProject(page, studio.url, projectDir)
  await openClip(page, 'clip_01')
  // Five visible labels of the clip moved 40 px: importing the file sets those five frames.
  const points = readLabelCsv(readFileSync(csv, 'utf8')).points
  const moved = new Set(
    points
      .filter((p) => p.visible)
      .slice(0, 5)
      .map((p) => p.frame)
  )
  const file = path.join(dir, 'moved.csv')
  writeFileSync(file, writeLabelCsv(points.map((p) => (moved.has(p.frame) ? { ...p, x: p.x + 40 } : p))))
  await page.getByTestId('import-open').click()
  await page.getByTestId('import-path').fill(file)
  await page.getByTestId('import-check').click()
  await expect(page.getByTestId('import-said')).toHaveText('Importing would give: 5 frames set.')
  await page.getByTestId('import-go').click()
  await expect(page.getByTestId('import-said')).toHaveText('Imported: 5 frames set. Ctrl+Z undoes it.')
  await page.getByTestId('import-check').click()
  await expect(page.getByTestId('import-said')).toHaveText('Importing would give: 0 frames set.')
  // One undo takes the whole import back, and redo puts it again.
  await page.getByTestId('import-open').click()
  await page.keyboard.press('Control+z')
  await page.getByTestId('import-open').click()
  await page.getByTestId('import-check').click()
  await expect(page.getByTestId('import-said')).toHaveText('Importing would give: 5 frames set.')
  await page.getByTestId('import-open').click()
  await page.keyboard.press('Control+Shift+z')
  await page.getByTestId('import-open').click()
  await page.getByTestId('import-check').click()
  await expect(page.getByTestId('import-said')).toHaveText('Importing would give: 0 frames set.')
})
