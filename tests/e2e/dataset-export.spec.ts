// Runs in Node (Playwright, browser mode in Debian's Chromium): "Export dataset…" in the library — a generated
// project exported into a folder chosen with the folder picker ends in done with every frame a JPEG in the
// TrackNet layout on disk; a folder the access scope refuses shows its message; Cancel on a second export ends
// it as cancelled, with nothing half-written in its folder; Escape closes the panel.
import { expect, test, type Page } from '@playwright/test'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { startStudio, type RunningStudio } from './support/browser-mode'
import { synthProject } from './support/synth-project'

// Long enough that Cancel, clicked as soon as the export runs, lands long before its last frame.
const SECONDS = 30
const FRAMES = SECONDS * 30
let studio: RunningStudio
let dir: string
let projectDir: string

test.beforeAll(async () => {
  ;({ dir, projectDir } = synthProject('studio-dsexport-', 'rally', {
    seconds: SECONDS,
    size: '640x360',
    seed: 7
  }))
  mkdirSync(path.join(dir, 'exports'))
  studio = await startStudio()
})

test.afterAll(async () => {
  await studio?.stop()
  if (studio) rmSync(studio.cacheDir, { recursive: true, force: true })
  rmSync(dir, { recursive: true, force: true })
})

async function openPanel(page: Page): Promise<void> {
  await page.getByTestId('dataset-export-open').click()
  await expect(page.getByTestId('dataset-export')).toBeVisible()
}

test('exports the project, refuses a folder out of reach, cancels a second export', async ({ page }) => {
  test.setTimeout(180_000)
  await page.goto(studio.url)
  await page.getByTestId('tab-library').click()
  await page.getByTestId('project-dir').fill(projectDir)
  await page.getByTestId('project-create').click()
  const match = readdirSync(projectDir).filter((n) => !n.startsWith('.'))[0]!
  await expect(page.getByRole('heading', { level: 3, name: match })).toBeVisible()

  // Escape closes the panel.
  await openPanel(page)
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('dataset-export')).toHaveCount(0)

  // The folder picker opens at the project; up one folder, into the empty exports folder, and use it.
  await openPanel(page)
  const panel = page.getByTestId('dataset-export')
  await panel.getByTestId('dataset-export-browse').click()
  const picker = panel.getByTestId('folder-picker')
  await expect(picker).toHaveAttribute('data-dir', projectDir)
  await picker.getByTestId('picker-up').click()
  await picker.getByTestId('picker-dir-exports').click()
  await picker.getByTestId('picker-use').click()
  await expect(picker).toHaveCount(0)
  const out = path.join(dir, 'exports')
  await expect(panel.getByTestId('dataset-export-dir')).toHaveValue(out)
  await panel.getByTestId('dataset-export-unlabelled').selectOption('not-visible')
  await panel.getByTestId('dataset-export-start').click()
  await expect(panel).toHaveAttribute('data-view', 'done', { timeout: 120_000 })
  await expect(panel.getByTestId('dataset-export-result')).toContainText(`Exported ${FRAMES} frames`)
  await expect(panel.getByTestId('dataset-export-result')).toContainText(out)

  // One match: it trains (no val match is picked from fewer than two). Every frame a JPEG, image N is frame N.
  expect(readdirSync(out).sort()).toEqual(['train'])
  const base = path.join(out, 'train', match)
  const frames = readdirSync(path.join(base, 'frame', 'clip_01'))
  expect(frames).toHaveLength(FRAMES)
  expect(frames).toContain('0.jpg')
  expect(frames).toContain(`${FRAMES - 1}.jpg`)
  // 'not-visible': every frame has a row, the header and one line per frame.
  const csv = readFileSync(path.join(base, 'csv', 'clip_01_ball.csv'), 'utf8')
    .trim()
    .split('\n')
  expect(csv).toHaveLength(FRAMES + 1)

  // A folder inside a hidden folder is outside what the studio may write: the refusal is shown, nothing made.
  const hidden = path.join(dir, '.secrets', 'export')
  await panel.getByTestId('dataset-export-dir').fill(hidden)
  await panel.getByTestId('dataset-export-start').click()
  await expect(panel).toHaveAttribute('data-view', 'failed')
  await expect(panel.getByTestId('dataset-export-error')).toContainText('Forbidden')
  expect(existsSync(path.join(dir, '.secrets'))).toBe(false)

  // A second export, cancelled as soon as it runs: it ends cancelled and its folder holds nothing.
  const second = path.join(dir, 'second')
  await panel.getByTestId('dataset-export-dir').fill(second)
  await panel.getByTestId('dataset-export-start').click()
  const cancel = panel.getByTestId('dataset-export-cancel')
  await cancel.click()
  await expect(panel).toHaveAttribute('data-view', 'cancelled')
  await expect(panel.getByTestId('dataset-export-result')).toContainText('cancelled')
  expect(existsSync(second) ? readdirSync(second) : []).toEqual([])
})
