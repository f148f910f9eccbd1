// Runs in Node (Playwright, browser mode in Debian's Chromium): a user opens each kind of test video and steps
// through it with the keyboard and the scrubber; the frame number drawn into the pixels must match the frame
// the studio says it shows, every time — the frame-exactness promise, end to end.
import { expect, test, type Page } from '@playwright/test'
import { mkdirSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { makeTestVideo, type TestVideoKind } from '../helpers/test-videos'
import { startStudio, type RunningStudio } from './support/browser-mode'
import { readShownFrameNumber } from './support/read-frame'

const KINDS: TestVideoKind[] = ['cfr', 'vfr', 'bframes', 'start-offset', 'rotated', 'intra']

let studio: RunningStudio
let dir: string
const videos = new Map<TestVideoKind, string>()

test.beforeAll(async () => {
  // A path with spaces and non-ASCII characters, as users' folders have.
  dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'studio-e2e-')), 'Matchs été 2026')
  mkdirSync(dir, { recursive: true })
  for (const kind of KINDS) videos.set(kind, await makeTestVideo(kind, dir))
  studio = await startStudio()
})

test.afterAll(async () => {
  await studio?.stop()
  rmSync(path.dirname(dir), { recursive: true, force: true })
})

async function openVideo(page: Page, file: string): Promise<void> {
  await page.goto(studio.url)
  await page.getByTestId('video-path').fill(file)
  await page.getByTestId('open-path').click()
  await expectShown(page, 0)
}

async function expectShown(page: Page, frame: number): Promise<void> {
  await expect(page.getByTestId('frame-canvas')).toHaveAttribute('data-shown-frame', String(frame))
  await expect(page.getByTestId('frame-number')).toHaveText(String(frame))
  expect(await readShownFrameNumber(page), `pixels of the frame shown as ${frame}`).toBe(frame)
}

for (const kind of KINDS) {
  test(`${kind}: keyboard and scrubber land on the exact frame`, async ({ page }) => {
    await openVideo(page, videos.get(kind)!)
    const last = Number(await page.getByTestId('scrubber').getAttribute('max'))
    expect(last).toBeGreaterThan(40)
    let expected = 0
    for (const [key, delta] of [
      ['ArrowRight', 1],
      ['ArrowRight', 1],
      ['Shift+ArrowRight', 10],
      ['Shift+ArrowRight', 10],
      ['ArrowLeft', -1],
      ['Shift+ArrowLeft', -10],
      ['ArrowRight', 1]
    ] as const) {
      await page.keyboard.press(key)
      expected += delta
      await expectShown(page, expected)
    }
    await page.keyboard.press('End')
    await expectShown(page, last)
    await page.keyboard.press('ArrowLeft')
    await expectShown(page, last - 1)
    await page.keyboard.press('Home')
    await expectShown(page, 0)
    const middle = Math.floor(last / 2) + 3
    await page.getByTestId('scrubber').fill(String(middle))
    await expectShown(page, middle)
  })
}

test('the status bar shows the video facts', async ({ page }) => {
  await openVideo(page, videos.get('rotated')!)
  const status = page.getByTestId('status-bar')
  await expect(status).toContainText('rotated 90°')
  await openVideo(page, videos.get('vfr')!)
  await expect(page.getByTestId('status-bar')).toContainText('(variable)')
})

test('play advances frames and pause stops on an exact frame', async ({ page }) => {
  await openVideo(page, videos.get('cfr')!)
  await page.keyboard.press(' ')
  await expect
    .poll(async () => Number(await page.getByTestId('frame-number').textContent()))
    .toBeGreaterThan(10)
  await page.keyboard.press(' ')
  const stopped = Number(await page.getByTestId('frame-number').textContent())
  await expectShown(page, stopped)
})

test('bad input gets a clear message and the studio keeps working', async ({ page }) => {
  await page.goto(studio.url)
  await page.getByTestId('video-path').fill(path.join(dir, 'no such match.mp4'))
  await page.getByTestId('open-path').click()
  await expect(page.getByTestId('notice')).toContainText('no such match.mp4')
  const notVideo = await makeTestVideo('not-a-video', dir)
  await page.getByTestId('video-path').fill(notVideo)
  await page.getByTestId('open-path').click()
  await expect(page.getByTestId('notice')).toContainText(path.basename(notVideo))
  await page.getByTestId('video-path').fill(videos.get('intra')!)
  await page.getByTestId('open-path').click()
  await expectShown(page, 0)
})

test('a video deleted while open says so instead of hanging', async ({ page }) => {
  const doomedDir = path.join(dir, 'doomed')
  mkdirSync(doomedDir, { recursive: true })
  const doomed = await makeTestVideo('cfr', doomedDir)
  await openVideo(page, doomed)
  unlinkSync(doomed)
  await page.getByTestId('scrubber').fill('70')
  await expect(page.getByTestId('notice')).toBeVisible()
})

test('the API refuses a request without the token', async ({ request }) => {
  const res = await request.get(`${studio.origin}/frames/abc/0.jpg`)
  expect(res.status()).toBe(403)
})
