// Runs in Node (Playwright, browser mode in Debian's Chromium): a seek far from anything decoded shows a picture
// at once. The video has a keyframe every 600 frames (1080p), so the exact frame 590 takes hundreds of frames of
// decoding; meanwhile the view shows the nearest keyframe's preview (600), says it is a preview of which frame,
// and the exact frame then replaces it. Every state the canvas went through is logged in the page as it happens,
// so the test does not depend on catching the preview by polling.
import { expect, test } from '@playwright/test'
import { mkdtempSync, rmSync } from 'node:fs'
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

test('a far seek shows the nearest keyframe at once, marked as a preview, then the exact frame', async ({
  page
}) => {
  let videoId = ''
  page.on('request', (r) => {
    const m = /\/frames\/([^/]+)\//.exec(new URL(r.url()).pathname)
    if (m) videoId = m[1]!
  })
  await page.goto(studio.url)
  await page.getByTestId('video-path').fill(video)
  await page.getByTestId('open-path').click()
  const canvas = page.getByTestId('frame-canvas')
  await expect(canvas).toHaveAttribute('data-shown-frame', '0', { timeout: 30_000 })
  expect(videoId).not.toBe('')

  // The keyframes are decoded in the background once the video is looked at: wait until that is done.
  const previewUrl = `${studio.origin}/frames/${videoId}/590.preview.jpg?t=${studio.token}`
  await expect
    .poll(async () => (await page.request.get(previewUrl)).headers()['x-shown-frame'], { timeout: 30_000 })
    .toBe('600')

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
