// Runs in Node (Playwright): reads back which frame the studio is showing from the pixels on its canvas —
// the test videos draw their frame number as a block pattern (tests/helpers/frame-pattern.ts), no OCR.
import type { Page } from '@playwright/test'
import { decodeFrameNumber } from '../../helpers/frame-pattern'

export async function readShownFrameNumber(page: Page): Promise<number> {
  const { width, height, luma } = await page.getByTestId('frame-canvas').evaluate((el) => {
    const c = el as HTMLCanvasElement
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data
    const luma: number[] = new Array(c.width * c.height)
    for (let i = 0, p = 0; i < luma.length; i++, p += 4) {
      luma[i] = Math.round(0.299 * data[p]! + 0.587 * data[p + 1]! + 0.114 * data[p + 2]!)
    }
    return { width: c.width, height: c.height, luma }
  })
  return decodeFrameNumber((x, y) => luma[Math.round(y) * width + Math.round(x)] ?? 0, width, height)
}
