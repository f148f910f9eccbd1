// Runs in Node (Playwright, browser mode in Debian's Chromium): the studio's server dies under an open page
// while it tracks. The page must say so within seconds (a banner over the page, the status bar, the job's
// progress as interrupted rather than a live ETA), refuse an edit visibly rather than show 'saving…' forever,
// and show an error with Retry on a frame that cannot load instead of a blank; and when the studio is started
// again (same port, new token) the page must say to open the new address.
import { expect, test } from '@playwright/test'
import { rmSync } from 'node:fs'
import { startStudio, type RunningStudio } from './support/browser-mode'
import { goToFrame, openClip, openProject, videoPointOnPage } from './support/studio-page'
import { synthProject } from './support/synth-project'

let first: RunningStudio | null = null
let second: RunningStudio | null = null
let dir: string
let projectDir: string

test.beforeAll(async () => {
  ;({ dir, projectDir } = synthProject('studio-connection-', 'project', {
    seconds: 10,
    size: '320x180',
    seed: 5
  }))
  first = await startStudio()
})

test.afterAll(async () => {
  await first?.stop()
  await second?.stop()
  rmSync(dir, { recursive: true, force: true })
})

test('a dead server is said at once, edits are refused visibly, a restarted one asks for its new address', async ({
  page
}) => {
  const studio = first!
  await openProject(page, studio.url, projectDir)
  await openClip(page)
  await goToFrame(page, 5)
  await expect(page.getByTestId('connection-banner')).toHaveCount(0)
  // A tracking job runs (300 frames: far longer than the moments until the crash) when the server dies.
  await page.getByTestId('tracking-start').click()
  await expect(page.getByTestId('tracking-cancel')).toBeVisible()

  await studio.crash()

  // Within a few seconds: the banner over the page, and the status bar.
  const banner = page.getByTestId('connection-banner')
  await expect(banner).toBeVisible({ timeout: 5_000 })
  await expect(page.getByTestId('connection-title')).toHaveText('Connection to the studio lost.')
  await expect(page.getByTestId('connection-detail')).toContainText('Edits are refused')
  await expect(page.getByTestId('connection-reconnect')).toBeVisible()
  await expect(page.getByTestId('connection-state')).toContainText('connection lost')
  // It overlays the page: the frame view does not move.
  expect(await banner.evaluate((el) => getComputedStyle(el).position)).toBe('fixed')
  // The job's progress is not shown as live any more.
  await expect(page.getByTestId('tracking-status')).toContainText('interrupted · connection lost')
  await expect(page.getByTestId('tracking-status')).not.toContainText('ETA')

  // An edit is refused visibly and undone, not left 'saving…'.
  const inspector = page.getByTestId('frame-inspector')
  // The frame's label as the inspector's first line says it (source, review state), before the edit.
  const before = (await inspector.innerText()).split('\n')[0]!.trim()
  expect(before).toMatch(/imported/)
  const p = await videoPointOnPage(page, 100, 60)
  await page.mouse.click(p.x, p.y)
  await expect(page.getByTestId('save-state')).toContainText(
    "Not saved: the studio's backend is not connected"
  )
  await expect(inspector).toContainText(before)
  await expect(inspector).not.toContainText('· human ·')

  // A frame that cannot load says so on the frame view, with Retry.
  await page.getByTestId('scrubber').fill('50')
  await expect(page.getByTestId('frame-error')).toContainText('Frame 50 could not be fetched')
  await expect(page.getByTestId('frame-retry')).toBeVisible()

  // Escape closes the banner; the status bar still says it.
  await page.keyboard.press('Escape')
  await expect(banner).toHaveCount(0)
  await expect(page.getByTestId('connection-state')).toContainText('connection lost')

  // The studio starts again on the same port with a new token: the page says to open the new address.
  second = await startStudio(['--port', new URL(studio.origin).port])
  expect(second.token).not.toBe(studio.token)
  // The page learns it at its next automatic try (the last one is about 30 s after the crash); on a machine so
  // slow that the tries were spent first, the user's Reconnect does it.
  await expect(banner).toHaveAttribute('data-state', /^(replaced|offline)$/, { timeout: 40_000 })
  if ((await banner.getAttribute('data-state')) === 'offline')
    await page.getByTestId('connection-reconnect').click()
  await expect(banner).toHaveAttribute('data-state', 'replaced')
  await expect(page.getByTestId('connection-title')).toHaveText(
    'The studio was restarted: open the new address it printed.'
  )
  await expect(page.getByTestId('connection-reconnect')).toHaveCount(0)
  await expect(page.getByTestId('connection-state')).toContainText('open its new address')
})
