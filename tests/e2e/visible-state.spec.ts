// Runs in Node (Playwright, browser mode in Debian's Chromium): nothing of the frame view is hidden state — the
// toolbar shows each aid's on/off state and its key, the key flips what the button shows, and both come back
// after a reload; the look list says why each frame needs a look, goes there on a click and follows N; Escape
// closes every sheet, dialog and banner (the one opened last first), and the message bar overlays the page.
import { expect, test, type Page } from '@playwright/test'
import { rmSync } from 'node:fs'
import { startStudio, type RunningStudio } from './support/browser-mode'
import { goToFrame, openClip, openProject } from './support/studio-page'
import { synthProject } from './support/synth-project'

let studio: RunningStudio
let dir: string
let projectDir: string

test.beforeAll(async () => {
  ;({ dir, projectDir } = synthProject('studio-visible-', 'visible project', {
    seconds: 2,
    size: '640x360',
    seed: 5
  }))
  studio = await startStudio()
})

test.afterAll(async () => {
  await studio?.stop()
  rmSync(dir, { recursive: true, force: true })
})

const button = (page: Page, id: string) =>
  page.getByTestId(id === 'snap' ? 'snap-toggle' : `view-toggle-${id}`)
const pressed = (page: Page, id: string) => button(page, id).getAttribute('aria-pressed')
const shownFrame = (page: Page) => page.getByTestId('frame-canvas').getAttribute('data-shown-frame')

test('the toolbar shows each aid on or off with its key; keys and clicks flip it; a reload keeps it', async ({
  page
}) => {
  await openProject(page, studio.url, projectDir)
  await openClip(page)

  // What a new user starts with: the loupe, onion skin, trail and look list on; motion view and snap off.
  const start = {
    loupe: 'true',
    onion: 'true',
    trail: 'true',
    motion: 'false',
    snap: 'false',
    triage: 'true'
  }
  for (const [id, state] of Object.entries(start))
    await expect(button(page, id)).toHaveAttribute('aria-pressed', state)
  await expect(button(page, 'loupe')).toHaveText(/loupe on\s*l/)
  await expect(button(page, 'loupe')).toHaveAttribute('title', /\(l\)$/)
  await expect(button(page, 'motion')).toHaveText(/motion view off\s*m/)

  // The loupe is on, so it is there under the cursor; its key turns it off, and on again.
  const box = (await page.getByTestId('frame-canvas').boundingBox())!
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
  await expect(page.getByTestId('loupe')).toBeVisible()
  await page.keyboard.press('l')
  await expect(button(page, 'loupe')).toHaveAttribute('aria-pressed', 'false')
  await expect(button(page, 'loupe')).toHaveText(/loupe off/)
  await expect(page.getByTestId('loupe')).toHaveCount(0)
  await page.keyboard.press('l')
  await expect(button(page, 'loupe')).toHaveAttribute('aria-pressed', 'true')
  await expect(page.getByTestId('loupe')).toBeVisible()

  // A click and the key change one state: the motion view appears from the button and goes with its key.
  await button(page, 'motion').click()
  await expect(button(page, 'motion')).toHaveAttribute('aria-pressed', 'true')
  await expect(page.getByTestId('motion-layer')).toHaveCount(1)
  await page.keyboard.press('m')
  await expect(button(page, 'motion')).toHaveAttribute('aria-pressed', 'false')
  await expect(page.getByTestId('motion-layer')).toHaveCount(0)

  for (const key of ['o', 't', 's']) await page.keyboard.press(key)
  expect([await pressed(page, 'onion'), await pressed(page, 'trail'), await pressed(page, 'snap')]).toEqual([
    'false',
    'false',
    'true'
  ])
  await button(page, 'motion').click()
  await button(page, 'triage').click()
  await expect(page.getByTestId('triage-panel')).toHaveCount(0)

  await page.reload()
  await page.getByTestId('tab-annotate').click()
  const after = {
    loupe: 'true',
    onion: 'false',
    trail: 'false',
    motion: 'true',
    snap: 'true',
    triage: 'false'
  }
  for (const [id, state] of Object.entries(after))
    await expect(button(page, id)).toHaveAttribute('aria-pressed', state)
})

test('the look list says why each frame needs a look, goes there on a click and follows N', async ({
  page
}) => {
  await openProject(page, studio.url, projectDir)
  await openClip(page)
  const panel = page.getByTestId('triage-panel')
  await expect(panel).toBeVisible()

  // Three frames cleared become one entry, with its reason.
  for (const f of [10, 11, 12]) {
    await goToFrame(page, f)
    await page.keyboard.press('Delete')
    await expect(page.getByTestId('frame-inspector')).toContainText('unlabelled')
  }
  const cleared = page.getByTestId('triage-item-10')
  await expect(cleared).toHaveText(/^\s*10–12\s*nobody has labelled it\s*$/)
  await expect(cleared).toHaveAttribute('data-reason', 'unlabelled')

  // The list and the status line count the same queue; every entry names a reason.
  const count = Number((await page.getByTestId('triage-count').textContent())!.trim().split(' ')[0])
  await expect(page.getByTestId('triage-panel-count')).toHaveText(`${count} frames`)
  const reasons = await panel
    .locator('[data-reason]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-reason')))
  expect(reasons.length).toBeGreaterThan(0)
  for (const r of reasons)
    expect(['low-confidence', 'visibility-change', 'jump', 'gap', 'unlabelled']).toContain(r)

  // N walks into the entry and highlights it while the frame is in it.
  await goToFrame(page, 9)
  await page.keyboard.press('n')
  await expect(page.getByTestId('frame-canvas')).toHaveAttribute('data-shown-frame', '10')
  await expect(cleared).toHaveAttribute('aria-current', 'true')
  await page.keyboard.press('n')
  await page.keyboard.press('n')
  await expect(page.getByTestId('frame-canvas')).toHaveAttribute('data-shown-frame', '12')
  await expect(cleared).toHaveAttribute('aria-current', 'true')
  await page.keyboard.press('n')
  await expect.poll(async () => Number(await shownFrame(page))).toBeGreaterThan(12)
  await expect(cleared).toHaveAttribute('aria-current', 'false')

  // A click on another entry goes to its first frame and highlights it instead.
  const other = panel.locator('[data-reason]').first()
  const first = (await other.getAttribute('data-testid'))!.replace('triage-item-', '')
  await other.click()
  await expect(page.getByTestId('frame-canvas')).toHaveAttribute('data-shown-frame', first)
  await expect(other).toHaveAttribute('aria-current', 'true')
  await expect(panel.locator('[aria-current="true"]')).toHaveCount(1)

  // Hidden from its own ×, shown again from the toolbar.
  await panel.getByRole('button', { name: 'Hide the list' }).click()
  await expect(panel).toHaveCount(0)
  await expect(button(page, 'triage')).toHaveAttribute('aria-pressed', 'false')
  await button(page, 'triage').click()
  await expect(panel).toBeVisible()
})

test('Escape closes the import dialog, even from its field, and leaves what is under it', async ({
  page
}) => {
  await openProject(page, studio.url, projectDir)
  await openClip(page)
  await expect(page.getByTestId('first-run-hint')).toBeVisible()
  await page.getByTestId('import-open').click()
  await page.getByTestId('import-path').fill('/nowhere/labels.csv')
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('import-labels')).toHaveCount(0)
  // One Escape, one thing: the hint opened before the dialog is still there; the next Escape closes it.
  await expect(page.getByTestId('first-run-hint')).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('first-run-hint')).toHaveCount(0)
})

test('the message bar overlays the page; Escape closes the Keys sheet, then the message, and the folder picker', async ({
  page
}) => {
  await page.goto(studio.url)
  await page.getByTestId('tab-annotate').click()
  const toolbar = page.getByTestId('view-toolbar')
  const before = (await toolbar.boundingBox())!
  // Labelling without a clip says why, in the message bar.
  await page.keyboard.press('x')
  const notice = page.getByTestId('notice')
  await expect(notice).toContainText('Open this video as a clip of a project')
  expect((await toolbar.boundingBox())!.y).toBe(before.y)

  await page.getByTestId('show-keys').click()
  await expect(page.getByTestId('cheat-sheet')).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('cheat-sheet')).toHaveCount(0)
  await expect(notice).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(notice).toHaveCount(0)

  await page.getByTestId('tab-library').click()
  await page.getByTestId('project-browse').click()
  await expect(page.getByTestId('folder-picker')).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('folder-picker')).toHaveCount(0)
})
