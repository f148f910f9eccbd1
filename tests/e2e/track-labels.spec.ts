// Runs in Node (Playwright, browser mode in Debian's Chromium): "Track" labels the clip. On a clip without
// labels, with one label placed by hand, Track (the bundled model, real onnxruntime) turns every other frame
// into a "model · unreviewed" label without any further button; the hand-placed label is untouched; one Undo
// takes the whole fill back. Also: switching tabs does not pile up the frame view's key listeners, and a new
// user finds a hint above the frame that Escape dismisses for good, and "fast" tracks with windows side by side.
import { expect, test, type Page } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startStudio, type RunningStudio } from './support/browser-mode'
import { goToFrame, openClip, openProject, videoPointOnPage } from './support/studio-page'

const root = path.resolve(__dirname, '..', '..')
let studio: RunningStudio
let dir: string
let projectDir: string

test.beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'studio-track-labels-'))
  projectDir = path.join(dir, 'rally')
  const cli = path.join(root, 'bin', 'shuttle-studio.cjs')
  const synth = ['synth', '--out', projectDir, '--match', 'match_1', '--clips', '1', '--seconds', '2']
  execFileSync(process.execPath, [cli, ...synth, '--size', '640x360', '--fps', '30', '--seed', '5'], {
    stdio: 'ignore'
  })
  // The clip comes without labels, as a newly filmed one does.
  rmSync(path.join(projectDir, 'match_1', 'csv'), { recursive: true, force: true })
  studio = await startStudio()
})

test.afterAll(async () => {
  await studio?.stop()
  rmSync(dir, { recursive: true, force: true })
})

const inspector = (page: Page) => page.getByTestId('frame-inspector')

test('Track labels every unlabelled frame at once, keeps the hand-placed one, and one Undo takes it back', async ({
  page
}) => {
  test.setTimeout(240_000)
  await openProject(page, studio.url, projectDir)
  await openClip(page)
  await expect(inspector(page)).toContainText('unlabelled')

  // A person's label before tracking.
  await goToFrame(page, 5)
  const p = await videoPointOnPage(page, 100, 120)
  await page.mouse.click(p.x, p.y)
  await expect(inspector(page)).toContainText('human · corrected')
  await expect(page.getByTestId('save-state')).toHaveText('saved')

  await page.getByTestId('tracking-start').click()
  // No fill button to find: the labels arrive when the track is done.
  await expect(page.getByTestId('track-fill')).toContainText('Track labelled 59 frames', { timeout: 180_000 })
  for (const f of [0, 30, 59]) {
    await goToFrame(page, f)
    await expect(inspector(page)).toContainText('model · unreviewed')
  }
  await goToFrame(page, 5)
  await expect(inspector(page)).toContainText(/visible at 10\d\.\d, 1[12]\d\.\d · human · corrected/)
  await expect(page.getByTestId('save-state')).toHaveText('saved')

  // One Undo removes the whole fill; the hand-placed label stays.
  await page.keyboard.press('Control+z')
  await expect(page.getByTestId('track-fill-undo')).toHaveCount(0)
  await expect(inspector(page)).toContainText('human · corrected')
  for (const f of [0, 30, 59]) {
    await goToFrame(page, f)
    await expect(inspector(page)).toContainText('unlabelled')
  }

  // Redo brings it back, and a reload finds it saved.
  await page.keyboard.press('Control+Shift+Z')
  await expect(inspector(page)).toContainText('model · unreviewed')
  await expect(page.getByTestId('save-state')).toHaveText('saved')
  // Its note closes with Escape, as every banner does (the hint, opened before it, stays for the next Escape).
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('track-fill')).toHaveCount(0)
  await expect(page.getByTestId('first-run-hint')).toBeVisible()
  await page.reload()
  await openProject(page, studio.url, projectDir)
  await openClip(page)
  await expect(inspector(page)).toContainText('model · unreviewed')
})

test('switching tabs leaves no key listener of the frame view behind', async ({ page }) => {
  // Counts the window's keydown listeners as the page adds and removes them.
  await page.addInitScript(() => {
    const w = window as unknown as { keydownListeners: number }
    w.keydownListeners = 0
    const add = window.addEventListener.bind(window)
    const remove = window.removeEventListener.bind(window)
    window.addEventListener = ((type: string, ...rest: [EventListener, unknown?]) => {
      if (type === 'keydown') w.keydownListeners++
      return add(type, ...(rest as [EventListener]))
    }) as typeof window.addEventListener
    window.removeEventListener = ((type: string, ...rest: [EventListener, unknown?]) => {
      if (type === 'keydown') w.keydownListeners--
      return remove(type, ...(rest as [EventListener]))
    }) as typeof window.removeEventListener
  })
  await page.goto(studio.url)
  await expect(page.getByTestId('tab-annotate')).toBeVisible()
  const count = () =>
    page.evaluate(() => (window as unknown as { keydownListeners: number }).keydownListeners)
  await page.getByTestId('tab-library').click()
  await page.getByTestId('tab-annotate').click()
  const settled = await count()
  for (let i = 0; i < 3; i++) {
    await page.getByTestId('tab-library').click()
    await expect(page.getByTestId('project-dir')).toBeVisible()
    await page.getByTestId('tab-annotate').click()
    await expect(page.getByTestId('tab-annotate')).toHaveClass(/active/)
  }
  expect(await count()).toBe(settled)
})

test('a new user finds a hint above the frame; Escape dismisses it for good', async ({ page }) => {
  await openProject(page, studio.url, projectDir)
  await openClip(page)
  const hint = page.getByTestId('first-run-hint')
  await expect(hint).toContainText('Track')
  await expect(hint).toContainText('? shows every key')
  await page.keyboard.press('Escape')
  await expect(hint).toHaveCount(0)
  await page.reload()
  await openProject(page, studio.url, projectDir)
  await openClip(page)
  await expect(page.getByTestId('frame-inspector')).toBeVisible()
  await expect(hint).toHaveCount(0)
})

test('"fast" tracks with windows side by side, says so with its threshold, and is remembered', async ({
  page
}) => {
  test.setTimeout(180_000)
  await openProject(page, studio.url, projectDir)
  await openClip(page)
  const fast = page.getByTestId('tracking-fast')
  await expect(fast).not.toBeChecked()
  await fast.check()
  await page.getByTestId('tracking-start').click()
  const status = page.getByTestId('tracking-status')
  await expect(status).toContainText('done', { timeout: 120_000 })
  // The bundled model's own threshold for windows side by side (shuttle.thresholds_by_stride), not its stride-1 one.
  await expect(status).toContainText('fast: each frame seen once (threshold 0.9)')
  // How the CPU's threads are shared among onnxruntime sessions is shown with the provider.
  await expect(status).toContainText(/cpu\b.* · \d sessions? × \d threads?/)
  await page.reload()
  await openProject(page, studio.url, projectDir)
  await openClip(page)
  await expect(page.getByTestId('tracking-fast')).toBeChecked()
})
