// Runs in Node (Playwright): the steps every browser-mode test takes the way a user does — make or open a
// project in the Library, open a clip, go to a frame — and where a video pixel of the shown frame is on the
// page, so tests click and point in video coordinates.
import { expect, type Page } from '@playwright/test'
import { existsSync } from 'node:fs'
import path from 'node:path'

/** Opens the project in `dir` from the Library (creating it where it is not one yet). */
export async function openProject(page: Page, url: string, dir: string): Promise<void> {
  await page.goto(url)
  await page.getByTestId('tab-library').click()
  await page.getByTestId('project-dir').fill(dir)
  const exists = existsSync(path.join(dir, '.studio', 'project.json'))
  const button = page.getByTestId(exists ? 'project-open' : 'project-create')
  await button.click()
  // Enabled again once the open is done: a page reloaded on an open project lists its clips already, and a clip
  // clicked before the open ends would be closed under it by the reopening project.
  await expect(button).toBeEnabled()
  await expect(page.locator('[data-testid^="clip-"] button.link').first()).toBeVisible()
}

/** Opens a clip of the open project (the first one without a name) in the frame view, at frame 0. */
export async function openClip(page: Page, clip?: string): Promise<void> {
  const row = clip ? `[data-testid="clip-${clip}"]` : '[data-testid^="clip-"]'
  await page.locator(`${row} button.link`).first().click()
  // The first open of a clip indexes its video before frame 0 shows: seconds on a busy machine.
  await expect(page.getByTestId('frame-canvas')).toHaveAttribute('data-shown-frame', '0', { timeout: 30_000 })
  await expect(page.getByTestId('frame-inspector')).toBeVisible()
}

/** Seeks with the scrubber and waits until that exact frame is on screen. */
export async function goToFrame(page: Page, frame: number): Promise<void> {
  await page.getByTestId('scrubber').fill(String(frame))
  await expect(page.getByTestId('frame-canvas')).toHaveAttribute('data-shown-frame', String(frame))
}

/** Page coordinates of the centre of video pixel (x, y) of the frame canvas, as it is drawn now. */
export async function videoPointOnPage(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  const canvas = page.getByTestId('frame-canvas')
  const box = (await canvas.boundingBox())!
  const size = await canvas.evaluate((c) => ({
    w: (c as HTMLCanvasElement).width,
    h: (c as HTMLCanvasElement).height
  }))
  return { x: box.x + ((x + 0.5) / size.w) * box.width, y: box.y + ((y + 0.5) / size.h) * box.height }
}
