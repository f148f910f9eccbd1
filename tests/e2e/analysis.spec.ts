// Runs in Node (Playwright, browser mode): a user calibrates the court by clicking its four corners and the
// net posts' tops on a generated rally (whose true camera is known), then analyses the clip's labels.
import { expect, test } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startStudio, type RunningStudio } from './support/browser-mode'
import { openClip, openProject } from './support/studio-page'

const root = path.resolve(__dirname, '..', '..')
let studio: RunningStudio
let dir: string
let projectDir: string

interface SynthTruth {
  court: { halfWidth: number }
  camera: { courtCornersImage: [number, number][]; projection3x4: number[] }
}

test.beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'studio-analysis-'))
  projectDir = path.join(dir, 'rally')
  const args = [
    'synth',
    '--out',
    projectDir,
    '--clips',
    '1',
    '--seconds',
    '4',
    '--size',
    '640x360',
    '--fps',
    '30',
    '--seed',
    '5'
  ]
  execFileSync(process.execPath, [path.join(root, 'bin', 'shuttle-studio.cjs'), ...args], { stdio: 'ignore' })
  studio = await startStudio()
})

test.afterAll(async () => {
  await studio?.stop()
  rmSync(dir, { recursive: true, force: true })
})

function project(P: number[], x: number, y: number, z: number): [number, number] {
  const u = P[0]! * x + P[1]! * y + P[2]! * z + P[3]!
  const v = P[4]! * x + P[5]! * y + P[6]! * z + P[7]!
  const w = P[8]! * x + P[9]! * y + P[10]! * z + P[11]!
  return [u / w, v / w]
}

test('calibrate the court by clicking, then analyse the rally', async ({ page }) => {
  const match = readdirSync(projectDir).find((d) => !d.startsWith('.'))!
  const truth = JSON.parse(readFileSync(path.join(projectDir, match, 'synth.json'), 'utf8')) as SynthTruth
  await openProject(page, studio.url, projectDir)
  await openClip(page)
  await page.getByTestId('tab-analysis').click()
  await expect(page.getByTestId('analysis-source')).toContainText("clip's labels")

  const canvas = page.getByTestId('frame-canvas')
  await expect(canvas).toHaveAttribute('data-shown-frame', '0')
  const box = (await canvas.boundingBox())!
  const click = (x: number, y: number) =>
    page.mouse.click(box.x + ((x + 0.5) / 640) * box.width, box.y + ((y + 0.5) / 360) * box.height)
  for (const [x, y] of truth.camera.courtCornersImage) await click(x, y)
  await expect(page.getByTestId('calibration-status')).toContainText('Court fitted')
  const W = truth.court.halfWidth
  for (const side of [-W, W]) {
    const [x, y] = project(truth.camera.projection3x4, side, 0, 1.55)
    await click(x, y)
  }
  const status = page.getByTestId('calibration-status')
  await expect(status).toContainText('reprojection error')
  const error = Number(/reprojection error ([\d.]+) px/.exec((await status.textContent()) ?? '')?.[1])
  expect(error).toBeLessThan(2)

  await page.getByTestId('analyse-button').click()
  await expect(page.getByTestId('rally-row').first()).toBeVisible()
  await expect(page.getByTestId('analysis-view')).toContainText('calibrated')
})
