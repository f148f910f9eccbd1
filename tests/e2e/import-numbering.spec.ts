// Runs in Node (Playwright, browser mode in Debian's Chromium): a label file numbered as OpenCV seeks, imported
// on a video that drops frames — the dialog says how many labels belong on other pictures and names the box;
// with "OpenCV numbering" ticked, the import moves them and says how far.
import { expect, test } from '@playwright/test'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { opencvNumbering } from '../../src/backend/video/opencv-frame-numbers'
import { ffprobeBin, makeTestVideo } from '../helpers/test-videos'
import { startStudio, type RunningStudio } from './support/browser-mode'
import { openClip, openProject } from './support/studio-page'

let studio: RunningStudio
let dir: string
let labels: string
let moves: number

test.beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'studio-numbering-'))
  const videoDir = path.join(dir, 'project', 'm', 'video')
  mkdirSync(videoDir, { recursive: true })
  const video = await makeTestVideo('dropped', videoDir, { frames: 160, name: 'lab.mp4' })
  // The file an OpenCV-seeking tool writes: under number n, the shuttle where picture shown[n] has it.
  const { shown } = await opencvNumbering(ffprobeBin(), video)
  const rows = [...Array(160).keys()].filter((n) => shown[n]! >= 0)
  // Moved: a label whose picture is not its number, counted once per picture (the first label of a picture
  // shown under two numbers is kept).
  const taken = new Set<number>()
  moves = rows.filter((n) => !taken.has(shown[n]!) && taken.add(shown[n]!) && shown[n] !== n).length
  labels = path.join(dir, 'lab_ball.csv')
  const at = (f: number): string => `${10 + (f % 100) * 2},${40 + Math.floor(f / 100) * 60}`
  writeFileSync(
    labels,
    ['Frame,Visibility,X,Y', ...rows.map((n) => `${n},1,${at(shown[n]!)}`)].join('\n') + '\n'
  )
  studio = await startStudio()
})

test.afterAll(async () => {
  await studio?.stop()
  rmSync(dir, { recursive: true, force: true })
})

test('Import labels… names "OpenCV numbering" for such a file, and the box moves its labels', async ({
  page
}) => {
  expect(moves).toBeGreaterThan(20)
  await openProject(page, studio.url, path.join(dir, 'project'))
  await openClip(page, 'lab')
  await page.getByTestId('import-open').click()
  await page.getByTestId('import-path').fill(labels)
  await page.getByTestId('import-check').click()
  const advice = page.getByTestId('import-advice')
  await expect(advice).toContainText(`This video drops frames`)
  await expect(advice).toContainText(`${moves} labels belong on other pictures`)
  await expect(advice).toContainText('Tick "OpenCV numbering" if it came from such a tool.')
  await page.getByTestId('import-opencv').check()
  await page.getByTestId('import-go').click()
  await expect(page.getByTestId('import-said')).toContainText('Imported:')
  await expect(page.getByTestId('import-said')).toContainText(
    `${moves} labels moved onto the pictures OpenCV showed`
  )
  await expect(advice).toHaveCount(0)
})
