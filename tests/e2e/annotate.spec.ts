// Runs in Node (Playwright, browser mode in Debian's Chromium): what a labeller does — make a project from a
// generated rally, open a clip, place and move points with the mouse, mark frames not visible with the keys,
// undo and redo, interpolate a gap, export, then reload and find everything where it was left.
import { expect, test, type Page } from '@playwright/test'
import { readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { startStudio, type RunningStudio } from './support/browser-mode'
import { goToFrame, openClip, openProject, videoPointOnPage } from './support/studio-page'
import { synthProject } from './support/synth-project'

let studio: RunningStudio
let dir: string
let projectDir: string

test.beforeAll(async () => {
  ;({ dir, projectDir } = synthProject('studio-annotate-', 'my project', {
    seconds: 2,
    size: '640x360',
    seed: 11
  }))
  studio = await startStudio()
})

test.afterAll(async () => {
  await studio?.stop()
  rmSync(dir, { recursive: true, force: true })
})

const openProjectClip = async (page: Page): Promise<void> => {
  await openProject(page, studio.url, projectDir)
  await openClip(page)
}

const inspector = (page: Page) => page.getByTestId('frame-inspector')
const goTo = goToFrame

/** Clicks the frame at video pixel (x, y). */
async function clickAt(page: Page, x: number, y: number): Promise<void> {
  const p = await videoPointOnPage(page, x, y)
  await page.mouse.click(p.x, p.y)
}

test('label, undo, interpolate, export and find it all again after a reload', async ({ page }) => {
  await openProjectClip(page)
  await expect(inspector(page)).toContainText('imported')

  // Place a point with the mouse: a person's label.
  await goTo(page, 5)
  await clickAt(page, 100, 120)
  await expect(inspector(page)).toContainText(/visible at 10\d\.\d, 1[12]\d\.\d · human · corrected/)
  await expect(page.getByTestId('save-state')).toHaveText('saved')

  // Mark frame 6 not visible with the key; the playhead moves on to 7.
  await goTo(page, 6)
  await page.keyboard.press('x')
  await expect(page.getByTestId('frame-canvas')).toHaveAttribute('data-shown-frame', '7')
  await page.keyboard.press('ArrowLeft')
  await expect(inspector(page)).toContainText('not visible · human · corrected')

  // Undo brings frame 6's imported label back; redo takes it away again; undo once more.
  // Pressed back to back, as a user does: each press acts on the next step even before the backend answers.
  await page.keyboard.press('Control+z')
  await page.keyboard.press('Control+Shift+Z')
  await page.keyboard.press('Control+z')
  await expect(inspector(page)).toContainText('imported')
  await page.keyboard.press('Control+Shift+Z')
  await expect(inspector(page)).toContainText('not visible · human · corrected')
  await page.keyboard.press('Control+z')
  await expect(inspector(page)).toContainText('imported')
  await expect(page.getByTestId('save-state')).toHaveText('saved')
  await goTo(page, 5)
  await expect(inspector(page)).toContainText('human · corrected')

  // Clear frames 20–22, then select 19–23 on the timeline and interpolate the gap.
  for (const f of [20, 21, 22]) {
    await goTo(page, f)
    await page.keyboard.press('Delete')
    await expect(inspector(page)).toContainText('unlabelled')
  }
  const timeline = page.getByTestId('timeline')
  const tb = (await timeline.boundingBox())!
  const frames = 60
  const colX = (f: number) => tb.x + 84 + ((f + 0.5) / frames) * (tb.width - 84)
  await page.mouse.move(colX(19), tb.y + 10)
  await page.mouse.down()
  await page.mouse.move(colX(23), tb.y + 10, { steps: 5 })
  await page.mouse.up()
  await expect(inspector(page)).toContainText('selected 19–23')
  await page.keyboard.press('i')
  await expect(page.getByTestId('interpolation-preview')).toContainText('Interpolate 3 frames')
  await page.getByTestId('apply-interpolation').click()
  await goTo(page, 21)
  await expect(inspector(page)).toContainText('interpolated')

  // Select 30–32 on the timeline and clear the range from its button; undo puts the labels back.
  await page.mouse.move(colX(30), tb.y + 10)
  await page.mouse.down()
  await page.mouse.move(colX(32), tb.y + 10, { steps: 3 })
  await page.mouse.up()
  await expect(inspector(page)).toContainText('selected 30–32')
  await page.getByTestId('range-clear').click()
  await goTo(page, 31)
  await expect(inspector(page)).toContainText('unlabelled')
  await page.keyboard.press('Control+z')
  await expect(inspector(page)).toContainText('imported')

  // Export the labels as TrackNet CSV.
  const out = path.join(dir, 'exported labels.csv')
  await page.getByTestId('export-path').fill(out)
  await page.getByTestId('export-go').click()
  await expect(page.getByTestId('export-done')).toContainText('rows written')
  const csv = readFileSync(out, 'utf8').trim().split('\n')
  expect(csv[0]).toBe('Frame,Visibility,X,Y')
  expect(csv.find((l) => l.startsWith('5,'))).toMatch(/^5,1,10\d\.\d+,1[12]\d\.\d+$/)

  // Reload the page: the project reopens with every edit in it.
  await page.reload()
  await openProjectClip(page)
  await goTo(page, 5)
  await expect(inspector(page)).toContainText('human · corrected')
  await goTo(page, 21)
  await expect(inspector(page)).toContainText('interpolated')
  await goTo(page, 6)
  await expect(inspector(page)).toContainText('imported')
})

test('the cheat sheet lists the keys and remaps one', async ({ page }) => {
  await page.goto(studio.url)
  await page.getByTestId('show-keys').click()
  const sheet = page.getByTestId('cheat-sheet')
  await expect(sheet).toContainText('Mark not visible')
  await expect(sheet).toContainText('Undo')
  const row = sheet.locator('.row', { hasText: 'Mark not visible' }).first()
  await row.getByTitle('Add a key for Mark not visible').click()
  await page.keyboard.press('q')
  const removeQ = row.getByRole('button', { name: 'Remove q from Mark not visible', exact: true })
  await expect(removeQ).toBeVisible()
  await sheet.getByTestId('keys-reset').click()
  await sheet.getByTestId('keys-reset-yes').click()
  await expect(removeQ).toHaveCount(0)
})
