// Runs in Node (Playwright, browser mode in Debian's Chromium): the Keys sheet never loses a binding silently —
// a click on a key chip removes nothing; the chip's own remove control does, says so, and Undo restores it
// (also after a reload, since the keymap is saved); Reset asks first; Escape closes the sheet.
import { expect, test, type Page } from '@playwright/test'
import { startStudio, type RunningStudio } from './support/browser-mode'

let studio: RunningStudio

test.beforeAll(async () => {
  studio = await startStudio()
})
test.afterAll(async () => {
  await studio?.stop()
})

const sheetOf = (page: Page) => page.getByTestId('cheat-sheet')
const rowOf = (page: Page, label: string) =>
  sheetOf(page).locator('.row', { has: page.getByText(label, { exact: true }) })
/** The keys a row shows, as the user reads them. */
const keysOf = async (page: Page, label: string) =>
  (await rowOf(page, label).locator('kbd').allInnerTexts()).map((t) => t.trim())

test('a click on a key chip removes nothing; its remove control does, and Undo puts it back', async ({
  page
}) => {
  await page.goto(studio.url)
  await page.getByTestId('show-keys').click()
  await expect(rowOf(page, 'Next frame')).toBeVisible()
  expect(await keysOf(page, 'Next frame')).toEqual(['Right', 'd'])

  // The click that used to unbind "Right" silently.
  await rowOf(page, 'Next frame').getByText('Right', { exact: true }).click()
  expect(await keysOf(page, 'Next frame')).toEqual(['Right', 'd'])
  await expect(page.getByTestId('keys-change')).toHaveCount(0)

  // The explicit control removes it and says so.
  await rowOf(page, 'Next frame').getByRole('button', { name: 'Remove Right from Next frame' }).click()
  await expect(page.getByTestId('keys-change')).toContainText('Right removed from “Next frame”')
  expect(await keysOf(page, 'Next frame')).toEqual(['d'])

  // Saved: a reload keeps the removal; Undo (in this session) restores it, saved as well.
  await page.getByTestId('keys-undo').click()
  expect(await keysOf(page, 'Next frame')).toEqual(['Right', 'd'])
  await page.reload()
  await page.getByTestId('show-keys').click()
  expect(await keysOf(page, 'Next frame')).toEqual(['Right', 'd'])
})

test('Reset to defaults asks first; keeping the keys keeps them, confirming resets, Undo brings them back', async ({
  page
}) => {
  await page.goto(studio.url)
  await page.getByTestId('show-keys').click()
  await rowOf(page, 'Mark not visible').getByTitle('Add a key for Mark not visible').click()
  await page.keyboard.press('q')
  await expect.poll(() => keysOf(page, 'Mark not visible')).toEqual(['q', 'x'])

  await page.getByTestId('keys-reset').click()
  await expect(page.getByTestId('keys-reset-confirm')).toContainText('1 action you changed')
  await page.getByTestId('keys-reset-no').click()
  await expect(page.getByTestId('keys-reset-confirm')).toHaveCount(0)
  expect(await keysOf(page, 'Mark not visible')).toEqual(['q', 'x'])

  // Escape cancels the question, not the sheet.
  await page.getByTestId('keys-reset').click()
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('keys-reset-confirm')).toHaveCount(0)
  await expect(sheetOf(page)).toBeVisible()

  await page.getByTestId('keys-reset').click()
  await page.getByTestId('keys-reset-yes').click()
  await expect.poll(() => keysOf(page, 'Mark not visible')).toEqual(['x'])
  await page.getByTestId('keys-undo').click()
  await expect.poll(() => keysOf(page, 'Mark not visible')).toEqual(['q', 'x'])
  // Leave the defaults for the next test of this studio.
  await rowOf(page, 'Mark not visible')
    .getByRole('button', { name: 'Remove q from Mark not visible' })
    .click()
  await expect.poll(() => keysOf(page, 'Mark not visible')).toEqual(['x'])
})

test('Escape closes the Keys sheet', async ({ page }) => {
  await page.goto(studio.url)
  await page.getByTestId('show-keys').click()
  await expect(sheetOf(page)).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(sheetOf(page)).toHaveCount(0)
})
