// Runs in Node (Playwright, browser mode in Debian's Chromium): a seek far from anything decoded shows a picture
// at once. The video has a keyframe every 600 frames (1080p), so the exact frame 590 takes hundreds of frames of
// decoding; meanwhile the view shows the nearest keyframe's preview (600), says it is a preview of which frame,
// and the exact frame then replaces it. Every state the canvas went through is logged in the page as it happens,
// so the test does not depend on catching the preview by polling.
import { expect, test, type Page } from '@playwright/test'
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { makeTestVideo } from '../helpers/test-videos'
import { startStudio, type RunningStudio } from './support/browser-mode'
import { readShownFrameNumber } from './support/read-frame'

let studio: RunningStudio
let dir: string
let video: string

test.beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'studio-e2e-preview-'))
  video = await makeTestVideo('cfr', dir, {
    name: 'long-gop.mp4',
    width: 1920,
    height: 1080,
    frames: 610,
    gop: 600
  })
  studio = await startStudio()
})

test.afterAll(async () => {
  await studio?.stop()
  rmSync(dir, { recursive: true, force: true })
})

/** Opens the video in the frame view and waits until its keyframe previews are made; returns its id. */
async function openWithPreviews(page: Page, file: string): Promise<string> {
  let videoId = ''
  page.on('request', (r) => {
    const m = /\/frames\/([^/]+)\//.exec(new URL(r.url()).pathname)
    if (m) videoId = m[1]!
  })
  await page.goto(studio.url)
  await page.getByTestId('video-path').fill(file)
  await page.getByTestId('open-path').click()
  await expect(page.getByTestId('frame-canvas')).toHaveAttribute('data-shown-frame', '0', { timeout: 30_000 })
  expect(videoId).not.toBe('')
  // The keyframes are decoded in the background once the video is looked at: wait until that is done.
  const previewUrl = `${studio.origin}/frames/${videoId}/590.preview.jpg?t=${studio.token}`
  await expect
    .poll(async () => (await page.request.get(previewUrl)).headers()['x-shown-frame'], { timeout: 30_000 })
    .toBe('600')
  return videoId
}

test('a far seek shows the nearest keyframe at once, marked as a preview, then the exact frame', async ({
  page
}) => {
  await openWithPreviews(page, video)
  const canvas = page.getByTestId('frame-canvas')

  await canvas.evaluate((el) => {
    const log: string[] = []
    ;(window as unknown as { canvasLog: string[] }).canvasLog = log
    new MutationObserver(() => {
      const badge = document.querySelector('[data-testid="frame-approximate"]')?.textContent?.trim() ?? ''
      log.push(
        `${el.getAttribute('data-shown-frame')}|${el.getAttribute('data-preview-frame')}|${badge}|${Math.round(performance.now())}`
      )
    }).observe(el, { attributes: true, attributeFilter: ['data-shown-frame', 'data-preview-frame'] })
  })
  await page.getByTestId('scrubber').fill('590')
  await expect(canvas).toHaveAttribute('data-shown-frame', '590', { timeout: 30_000 })

  const log = await page.evaluate(() => (window as unknown as { canvasLog: string[] }).canvasLog)
  const preview = log.findIndex((s) => s.startsWith('|600|'))
  const exact = log.findIndex((s) => s.startsWith('590|'))
  expect(preview, `states the canvas went through: ${log.join(', ')}`).toBeGreaterThanOrEqual(0)
  expect(preview).toBeLessThan(exact)
  expect(log[preview]).toContain('preview: frame 600 · loading frame 590')
  await expect(page.getByTestId('frame-approximate')).toHaveCount(0)
  expect(await readShownFrameNumber(page)).toBe(590)
})

test('hovering the scrubber shows the picture near the frame under the pointer, and which frame it is', async ({
  page
}) => {
  // A copy: another open video, with nothing of the first test's seek decoded.
  const copy = path.join(dir, 'long-gop-copy.mp4')
  copyFileSync(video, copy)
  await openWithPreviews(page, copy)
  const box = (await page.getByTestId('scrubber').boundingBox())!
  await page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2)
  await page.mouse.move(box.x + box.width * 0.99, box.y + box.height / 2)
  const hover = page.getByTestId('scrub-hover')
  await expect(hover).toHaveAttribute('data-shown-frame', '600')
  const frame = Number(await hover.getAttribute('data-frame'))
  expect(Math.abs(frame - 0.99 * 609)).toBeLessThan(8)
  await expect(hover).toContainText(`frame ${frame}`)
  await expect(hover).toContainText('(picture: 600)')
  expect(await hover.locator('img').evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(640)
  await page.mouse.move(box.x + box.width / 2, box.y - 200)
  await expect(hover).toHaveCount(0)
})
