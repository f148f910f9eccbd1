// Runs in Node (Playwright, browser mode in Debian's Chromium): the Train tab's loop as a user goes through it
// on a generated two-clip project, with an untrained tiny MMFNet (and its PyTorch weights) as the model to
// adapt: the data summary shows, Start makes the chart grow, Stop answers at once and the best model so far is
// saved in the project, the tracker lists it and Use makes it the tracking model, Re-track runs the tracking
// job on every clip with it, and a suggested frame opens in the Frames view. Skips where no Python has PyTorch.
import { expect, test } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { readLabelCsv } from '../../src/shared/labels/read'
import { writeLabelCsv } from '../../src/shared/labels/write'
import { startStudio, type RunningStudio } from './support/browser-mode'
import { openProject } from './support/studio-page'

const root = path.resolve(__dirname, '..', '..')
const cli = path.join(root, 'bin', 'shuttle-studio.cjs')
const fixture = path.join(root, 'tests', 'fixtures', 'models', 'tiny_adapt_base.py')

/** The Python the studio would find with PyTorch and onnx (as src/backend/training/python.ts looks), or null. */
function torchPython(): string | null {
  for (const p of [process.env.SHUTTLE_PYTHON, 'python3', '/usr/bin/python3'].filter(
    (c): c is string => !!c
  )) {
    try {
      execFileSync(p, ['-c', 'import torch, onnx'], { stdio: 'ignore' })
      return p
    } catch {
      // not this one
    }
  }
  return null
}

const python = torchPython()
let studio: RunningStudio
let dir: string
let projectDir: string

test.beforeAll(async () => {
  test.skip(!python, 'no Python with PyTorch and onnx: the Train tab cannot adapt here')
  dir = mkdtempSync(path.join(os.tmpdir(), 'studio-train-'))
  projectDir = path.join(dir, 'train project')
  for (const [match, seed] of [
    ['match_a', '4'],
    ['match_b', '5']
  ]) {
    const synth = ['synth', '--out', projectDir, '--match', match!, '--clips', '1', '--seconds', '2']
    execFileSync(process.execPath, [cli, ...synth, '--size', '320x180', '--fps', '30', '--seed', seed!], {
      stdio: 'ignore'
    })
  }
  // Sparse labels, as a person leaves them: the last third of each clip has none.
  for (const match of ['match_a', 'match_b']) {
    const csv = path.join(projectDir, match, 'csv', 'clip_01_ball.csv')
    const { points } = readLabelCsv(readFileSync(csv, 'utf8'))
    writeFileSync(csv, writeLabelCsv(points.filter((p) => p.frame < 40)))
  }
  studio = await startStudio()
  // The model to adapt, where the tracker finds the user's models: the studio's own models folder.
  mkdirSync(path.join(studio.cacheDir, 'models'), { recursive: true })
  execFileSync(python!, [fixture, path.join(studio.cacheDir, 'models', 'tiny.onnx')], { stdio: 'ignore' })
})

test.afterAll(async () => {
  await studio?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

test('summary, Start and the chart, Stop, the saved model used, Re-track, a suggested frame', async ({
  page
}) => {
  test.setTimeout(600_000)
  await openProject(page, studio.url, projectDir)
  await page.getByTestId('tab-train').click()

  // What it would train on: both clips, each holding back its last quarter (two clips are too few to hold one
  // back whole).
  // (The first look for a Python with PyTorch, and reading the clips, take seconds on a busy machine.)
  await expect(page.getByTestId('train-summary-clip')).toHaveCount(2, { timeout: 60_000 })
  await expect(page.getByTestId('train-summary-clip').filter({ hasText: 'from frame' })).toHaveCount(2)
  await expect(page.getByTestId('training-panel')).toHaveAttribute('data-view', 'ready', { timeout: 60_000 })

  await page.getByTestId('adapt-base').selectOption('tiny')
  await page.getByTestId('adapt-minutes').fill('30')
  await page.getByTestId('adapt-start').click()
  await expect(page.getByTestId('training-panel')).toHaveAttribute('data-view', 'running')
  // The chart grows as the steps come.
  const chart = page.locator('.adapt-chart')
  await expect(chart).toHaveAttribute('data-loss-points', /^[1-9]\d*$/, { timeout: 240_000 })
  const first = Number(await chart.getAttribute('data-loss-points'))
  await expect
    .poll(async () => Number(await chart.getAttribute('data-loss-points')), { timeout: 120_000 })
    .toBeGreaterThan(first)

  await page.getByTestId('adapt-stop').click()
  await expect(page.getByTestId('adapt-state')).toHaveText(/stopping/)
  await expect(page.getByTestId('training-panel')).toHaveAttribute('data-view', 'stopped', {
    timeout: 240_000
  })
  await expect(page.getByTestId('adapt-message')).toContainText('best model so far was saved as adapted-')
  const models = path.join(projectDir, '.studio', 'models')
  const saved = readdirSync(models).filter((f) => f.endsWith('.onnx'))
  expect(saved).toHaveLength(1)
  expect(existsSync(path.join(models, saved[0]!.replace(/\.onnx$/, '.pt')))).toBe(true)
  const id = saved[0]!.replace(/\.onnx$/, '')

  // Registered: the tracker lists it (it can be adapted again), and Use makes it the tracking model.
  await expect(page.getByTestId('adapt-base').locator(`option[value="${id}"]`)).toHaveCount(1)
  await page.getByTestId('adapt-use').click()
  await expect(page.getByTestId('adapt-use')).toHaveText(`Tracking with ${id}`)

  // Re-track: the tracking job on every clip with the adapted model, each track kept in the project.
  await page.getByTestId('adapt-retrack').click()
  await expect(page.getByTestId('retrack-progress')).toHaveText('re-tracked 2/2 clips', { timeout: 300_000 })
  expect(readdirSync(path.join(projectDir, '.studio', 'predictions'))).toHaveLength(2)

  // Label these next, from the adapted model's tracks (it is unsure of the unlabelled frames): a click opens
  // the Frames view at that frame.
  await page.getByTestId('suggest').click()
  const first_ = page.getByTestId('suggestion').first()
  await expect(first_).toBeVisible()
  const frame = /frame (\d+)/.exec(await first_.innerText())![1]!
  expect(Number(frame)).toBeGreaterThanOrEqual(40)
  await first_.locator('button.link').click()
  await expect(page.getByTestId('frame-canvas')).toHaveAttribute('data-shown-frame', frame, {
    timeout: 60_000
  })
})
