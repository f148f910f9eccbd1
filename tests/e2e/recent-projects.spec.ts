// Runs in Node (Playwright, browser mode in Debian's Chromium): the studio remembers — a project opened once
// is listed as recent and reopens after the server restarts with the same cache folder; the folder picker then
// starts at that project (not the server's working folder) and tells an MPEG-TS video from a TypeScript file
// that shares its extension.
import { expect, test } from '@playwright/test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { makeTestVideo } from '../helpers/test-videos'
import { startStudio, type RunningStudio } from './support/browser-mode'

let dir: string
let projectDir: string
const started: RunningStudio[] = []

test.beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'studio-recent-'))
  projectDir = path.join(dir, 'club project')
  await makeTestVideo('start-offset', projectDir, { frames: 12, width: 96, height: 64, name: 'broadcast.ts' })
  writeFileSync(
    path.join(projectDir, 'vite.config.ts'),
    "import { defineConfig } from 'vite'\n\nexport default defineConfig({})\n".repeat(10)
  )
})

test.afterAll(async () => {
  for (const s of started) {
    await s.stop()
    rmSync(s.cacheDir, { recursive: true, force: true })
  }
  rmSync(dir, { recursive: true, force: true })
})

test('a project opened once reopens after a restart, and the picker starts there', async ({ page }) => {
  const first = await startStudio()
  started.push(first)
  await page.goto(first.url)
  // A fresh studio: nothing to remember yet.
  await page.getByTestId('tab-library').click()
  await expect(page.getByTestId('recent-projects')).toHaveCount(0)
  await page.getByTestId('project-dir').fill(projectDir)
  await page.getByTestId('project-create').click()
  await expect(page.getByTestId('empty-project')).toBeVisible()
  await expect(page.getByTestId('recent-project')).toHaveAttribute('data-dir', projectDir)
  await first.stop()

  // The same cache folder, a new server and a new page: the project is back without typing its path.
  const second = await startStudio([], { SHUTTLE_CACHE_DIR: first.cacheDir })
  started.push(second)
  await page.goto(second.url)
  await expect(page.getByTestId('library')).toBeVisible()
  await expect(page.getByRole('heading', { level: 2 })).toContainText(projectDir)
  const listed = page.getByTestId('recent-project')
  await expect(listed).toHaveCount(1)
  await expect(listed).toHaveAttribute('data-dir', projectDir)
  await expect(listed.getByTestId('recent-open')).toBeVisible()

  // The project folder picker opens at the project: the stream is a video, the TypeScript file is not.
  await page.getByTestId('project-browse').click()
  const picker = page.getByTestId('folder-picker')
  await expect(picker).toHaveAttribute('data-dir', projectDir)
  await expect(picker.getByTestId('picker-video-broadcast.ts')).toBeVisible()
  await expect(picker.getByText('vite.config.ts')).toHaveCount(0)
  // Choosing a folder fills the project field.
  await picker.getByTestId('picker-use').click()
  await expect(page.getByTestId('project-dir')).toHaveValue(projectDir)

  // The video picker of the Frames tab starts there too, and opens the stream with a click.
  await page.getByTestId('tab-annotate').click()
  const videoPicker = page.getByTestId('folder-picker')
  await expect(videoPicker).toHaveAttribute('data-dir', projectDir)
  await expect(videoPicker.getByText('vite.config.ts')).toHaveCount(0)
  await videoPicker.getByTestId('picker-video-broadcast.ts').click()
  await expect(page.getByTestId('frame-canvas')).toHaveAttribute('data-shown-frame', '0')
})
