// Runs in Node (Playwright, browser mode in Debian's Chromium): after Track, the look list names the frames
// where the model disagrees with itself. On a real broadcast clip of the val set (a00011: around frame 63 the
// tracker's flight path takes another blob than the heatmap's strongest, with the int8 model and with fp32),
// Track with the bundled model (real onnxruntime) fills the clip; the look list then has a "disagrees" entry at
// frame 63, N walks to it, and once a person accepts that frame it leaves the list. Synthetic rallies have no
// look-alike blobs, so the tracker never disagrees with itself on them: this needs the real footage beside the
// repository (never committed) and skips with a message without it.
import { expect, test } from '@playwright/test'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startStudio, type RunningStudio } from './support/browser-mode'
import { goToFrame, openClip, openProject } from './support/studio-page'

const root = path.resolve(__dirname, '..', '..')
const VAL = process.env.SHUTTLE_REAL_VAL ?? path.resolve(root, '..', 'shared', 'data', 'real', 'val')
const MATCH = 'axelsen-v-ginting-jakarta'
const CLIP = 'a00011'
const video = path.join(VAL, MATCH, 'video', `${CLIP}.mp4`)
/** A frame where the track took another blob than the strongest one (found with both precisions). */
const DISAGREES = 63

test.skip(
  !existsSync(video),
  `the real val clip is not at ${video} (it is never committed; set SHUTTLE_REAL_VAL)`
)

let studio: RunningStudio
let dir: string

test.beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'studio-disagree-'))
  studio = await startStudio()
})
test.afterAll(async () => {
  await studio?.stop()
  rmSync(dir, { recursive: true, force: true })
})

test('after Track the look list shows where the model disagrees with itself, and N goes there', async ({
  page
}) => {
  test.setTimeout(400_000)
  const projectDir = path.join(dir, 'rally')
  mkdirSync(path.join(projectDir, MATCH, 'video'), { recursive: true })
  copyFileSync(video, path.join(projectDir, MATCH, 'video', `${CLIP}.mp4`)) // the video only: no labels

  await page.setViewportSize({ width: 1600, height: 1000 })
  await openProject(page, studio.url, projectDir)
  await openClip(page, CLIP)
  const panel = page.getByTestId('triage-panel')
  // Before Track there is no track, so nothing disagrees: the whole clip is one "nobody has labelled it".
  await expect(panel.locator('[data-reason="disagreement"]')).toHaveCount(0)

  await page.getByTestId('tracking-start').click()
  await expect(page.getByTestId('track-fill')).toContainText('Track labelled', { timeout: 300_000 })

  const entry = page.getByTestId(`triage-item-${DISAGREES}`)
  await expect(entry).toHaveAttribute('data-reason', 'disagreement')
  await expect(entry).toContainText('the model disagrees with itself')

  // N's queue is the same list: from the frame before, N lands on it and its entry is the current one.
  await goToFrame(page, DISAGREES - 1)
  await page.keyboard.press('n')
  await expect(page.getByTestId('frame-canvas')).toHaveAttribute('data-shown-frame', String(DISAGREES))
  await expect(entry).toHaveAttribute('aria-current', 'true')

  // A person's look settles it: once accepted, the frame is no longer on the list.
  await page.keyboard.press('e')
  await expect(page.getByTestId('frame-canvas')).toHaveAttribute('data-shown-frame', String(DISAGREES + 1))
  await expect(page.getByTestId('save-state')).toHaveText('saved')
  await expect(entry).toHaveCount(0)
})
