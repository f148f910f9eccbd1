// Runs in Node (Playwright, browser mode in Debian's Chromium): zoom and pan on the frame with every overlay on
// its pixel — a label placed at 8x is stored at the video pixel under the cursor, to a fraction of a pixel —
// snapping a click to the moving synthetic shuttle (and undoing it), and video files dropped on the library.
import { expect, test, type Page } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { makeTestVideo } from '../helpers/test-videos'
import { startStudio, type RunningStudio } from './support/browser-mode'
import { goToFrame, openClip, openProject } from './support/studio-page'

const root = path.resolve(__dirname, '..', '..')
let studio: RunningStudio
let dir: string
let projectDir: string
let csvFile: string
let truth: { frame: number; visible: boolean; x: number; y: number }[]

test.beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'studio-zoom-'))
  projectDir = path.join(dir, 'zoom project')
  execFileSync(
    process.execPath,
    [
      path.join(root, 'bin', 'shuttle-studio.cjs'),
      'synth',
      ...['--out', projectDir, '--clips', '1', '--seconds', '2', '--size', '640x360', '--fps', '30'],
      ...['--seed', '11']
    ],
    { stdio: 'ignore' }
  )
  const match = readdirSync(projectDir).find((m) => !m.startsWith('.'))!
  const csvDir = path.join(projectDir, match, 'csv')
  csvFile = path.join(csvDir, readdirSync(csvDir)[0]!)
  // The generator's truth, read before the studio rewrites the file.
  truth = readFileSync(csvFile, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',').map(Number))
    .map(([frame, v, x, y]) => ({ frame: frame!, visible: v === 1, x: x!, y: y! }))
  studio = await startStudio()
})

test.afterAll(async () => {
  await studio?.stop()
  rmSync(dir, { recursive: true, force: true })
})

const openProjectClip = async (page: Page): Promise<void> => {
  await openProject(page, studio.url, projectDir)
  await openClip(page)
}

const goTo = goToFrame

/** The frame canvas's box on screen (with the zoom's transform) and its size in video pixels. */
async function frameBox(page: Page) {
  const canvas = page.getByTestId('frame-canvas')
  const box = (await canvas.boundingBox())!
  const size = await canvas.evaluate((c) => ({
    w: (c as HTMLCanvasElement).width,
    h: (c as HTMLCanvasElement).height
  }))
  return {
    box,
    toVideo: (sx: number, sy: number) => ({
      x: ((sx - box.x) / box.width) * size.w - 0.5,
      y: ((sy - box.y) / box.height) * size.h - 0.5
    }),
    toScreen: (x: number, y: number) => ({
      x: box.x + ((x + 0.5) / size.w) * box.width,
      y: box.y + ((y + 0.5) / size.h) * box.height
    })
  }
}

/** The frame's line in the CSV the studio writes (null when the frame is not in it). */
function csvLine(frame: number): string | null {
  return (
    readFileSync(csvFile, 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${frame},`)) ?? null
  )
}

/** The stored label of a frame, from the CSV the studio writes (three decimals). */
async function storedLabel(frame: number): Promise<{ x: number; y: number }> {
  let found: { x: number; y: number } | null = null
  await expect
    .poll(
      () => {
        const line = readFileSync(csvFile, 'utf8')
          .split('\n')
          .find((l) => l.startsWith(`${frame},1,`))
        found = line ? { x: Number(line.split(',')[2]), y: Number(line.split(',')[3]) } : null
        return found
      },
      { timeout: 15_000 }
    )
    .not.toBeNull()
  return found!
}

async function waitStored(frame: number, near: { x: number; y: number }, tolerance: number) {
  await expect
    .poll(
      async () => {
        const s = await storedLabel(frame)
        return Math.hypot(s.x - near.x, s.y - near.y)
      },
      { timeout: 15_000 }
    )
    .toBeLessThan(tolerance)
  return storedLabel(frame)
}

/** Whether the label overlay has paint at a screen point (device pixels read back from its canvas). */
async function overlayPaintAt(page: Page, sx: number, sy: number): Promise<boolean> {
  return page.getByTestId('label-overlay').evaluate(
    (el, p) => {
      const c = el as HTMLCanvasElement
      const r = c.getBoundingClientRect()
      const k = c.width / r.width
      const a = c
        .getContext('2d')!
        .getImageData(Math.floor((p.x - r.left) * k), Math.floor((p.y - r.top) * k), 1, 1).data[3]!
      return a > 0
    },
    { x: sx, y: sy }
  )
}

test('zoom to 8x at the cursor, place a label to the sub-pixel, pan, and stay aligned', async ({ page }) => {
  await openProjectClip(page)
  const frame = truth.find((t) => !t.visible && t.frame > 2)!.frame
  await goTo(page, frame)
  const view = page.getByTestId('frame-view')

  // The cursor over the frame, a little off the view's centre.
  const fit = await frameBox(page)
  const host = (await view.boundingBox())!
  const cursor = { x: Math.round(host.x + host.width / 2 - 80), y: Math.round(host.y + host.height / 2 - 28) }
  await page.mouse.move(cursor.x, cursor.y)
  await page.keyboard.press('+')
  await expect(view).toHaveAttribute('data-zoom', '2.000')
  const underBefore = (await frameBox(page)).toVideo(cursor.x, cursor.y)
  await page.keyboard.press('+')
  await page.keyboard.press('=')
  await expect(view).toHaveAttribute('data-zoom', '8.000')
  await expect(page.getByTestId('zoom-level')).toContainText('8.0×')
  const zoomed = await frameBox(page)
  expect(zoomed.box.width).toBeCloseTo(fit.box.width * 8, 1)
  // Zoomed around the cursor: the same video point is still under it.
  const underAfter = zoomed.toVideo(cursor.x, cursor.y)
  expect(Math.abs(underAfter.x - underBefore.x)).toBeLessThan(0.02)
  expect(Math.abs(underAfter.y - underBefore.y)).toBeLessThan(0.02)

  // Place a label with a click a few screen pixels away: stored at the video pixel under the pointer.
  const click = { x: cursor.x + 5, y: cursor.y - 3 }
  const expected = zoomed.toVideo(click.x, click.y)
  await page.mouse.click(click.x, click.y)
  await expect(page.getByTestId('frame-inspector')).toContainText('human')
  const stored = await waitStored(frame, expected, 0.01)
  expect(Math.abs(stored.x - expected.x)).toBeLessThan(0.01)
  expect(Math.abs(stored.y - expected.y)).toBeLessThan(0.01)
  // The label's crosshair is drawn on that very screen point; inside its ring, off the cross, nothing.
  await expect.poll(() => overlayPaintAt(page, click.x, click.y)).toBe(true)
  expect(await overlayPaintAt(page, click.x + 4, click.y + 4)).toBe(false)

  // Pan with the middle button: the picture, and the label with it, move by exactly the drag.
  await page.mouse.move(click.x, click.y + 40)
  await page.mouse.down({ button: 'middle' })
  await page.mouse.move(click.x - 120, click.y + 80, { steps: 6 })
  await page.mouse.up({ button: 'middle' })
  await expect.poll(async () => (await frameBox(page)).box.x - zoomed.box.x).toBeCloseTo(-120, 0)
  const panned = await frameBox(page)
  expect(panned.box.y - zoomed.box.y).toBeCloseTo(40, 0)
  const labelOnScreen = panned.toScreen(stored.x, stored.y)
  await expect.poll(() => overlayPaintAt(page, labelOnScreen.x, labelOnScreen.y)).toBe(true)
  // The loupe reads the frame at the video point under the cursor (its caption: "x, y · zoom").
  await page.mouse.move(labelOnScreen.x, labelOnScreen.y)
  await expect
    .poll(async () => {
      const [x, y] = ((await page.getByTestId('loupe').textContent()) ?? '').split('·')[0]!.split(',')
      return Math.hypot(Number(x) - stored.x, Number(y) - stored.y)
    })
    .toBeLessThan(0.2)

  // Hold space and drag: a pan too — no label placed, no frame stepped, no playback left running.
  await page.keyboard.down('Space')
  await page.mouse.down()
  await page.mouse.move(labelOnScreen.x + 60, labelOnScreen.y, { steps: 4 })
  await page.mouse.up()
  await page.keyboard.up('Space')
  await expect.poll(async () => (await frameBox(page)).box.x - panned.box.x).toBeCloseTo(60, 0)
  await expect(page.getByTestId('frame-canvas')).toHaveAttribute('data-shown-frame', String(frame))
  const after = await storedLabel(frame)
  expect(after).toEqual(stored)

  // The wheel zooms out and in at the cursor; 0 fits the frame again.
  await page.mouse.wheel(0, 300)
  await expect.poll(async () => Number(await view.getAttribute('data-zoom'))).toBeLessThan(8)
  await page.keyboard.press('0')
  await expect(view).toHaveAttribute('data-zoom', '1.000')
  await expect(page.getByTestId('zoom-level')).toHaveCount(0)
  const back = await frameBox(page)
  expect(back.box.x).toBeCloseTo(fit.box.x, 1)
  expect(back.box.width).toBeCloseTo(fit.box.width, 1)
  await page.mouse.move(cursor.x, cursor.y)
  await page.mouse.wheel(0, -200)
  await expect.poll(async () => Number(await view.getAttribute('data-zoom'))).toBeCloseTo(2, 2)

  // The zoom keys are in the cheat sheet and remap like any other.
  await page.keyboard.press('0')
  await page.getByTestId('show-keys').click()
  const sheet = page.getByTestId('cheat-sheet')
  const row = sheet.locator('.row', { hasText: 'Zoom in' }).first()
  await expect(row.getByTitle('Remove +')).toBeVisible()
  await row.getByTitle(/^Add a key for Zoom in/).click()
  await page.keyboard.press('w')
  await expect(row.locator('kbd').getByText('w', { exact: true })).toBeVisible()
  await page.getByTestId('show-keys').click()
  await page.mouse.move(cursor.x, cursor.y)
  await page.keyboard.press('w')
  await expect(view).toHaveAttribute('data-zoom', '2.000')
})

test('snap a click near the moving synthetic shuttle to its position, shown and undoable', async ({
  page
}) => {
  await openProjectClip(page)
  // A frame where the shuttle flies (a still shuttle is part of the median background) away from the edges.
  // (In flight for two frames already: just out of a hand, it is one blob with the arm.)
  const flies = (a: (typeof truth)[number] | undefined, b: (typeof truth)[number] | undefined) =>
    !!a?.visible && !!b?.visible && Math.hypot(a.x - b.x, a.y - b.y) > 8
  const moving = truth.filter((t, i) => {
    return (
      flies(truth[i - 2], truth[i - 1]) &&
      flies(truth[i - 1], t) &&
      t.x > 20 &&
      t.y > 20 &&
      t.x < 620 &&
      t.y < 340
    )
  })
  expect(moving.length).toBeGreaterThan(0)
  const shuttle = moving[Math.floor(moving.length / 2)]!
  await goTo(page, shuttle.frame)
  // Clear its label first: a press on a point would drag it, not place a new one.
  await page.keyboard.press('Delete')
  await expect(page.getByTestId('frame-inspector')).toContainText('unlabelled')
  // Saved without it, so what is read back below is the snapped label, not the generator's.
  await expect.poll(() => csvLine(shuttle.frame), { timeout: 15_000 }).toBeNull()

  await page.keyboard.press('s')
  await expect(page.getByTestId('snap-toggle')).toHaveText(/snap on/)
  const clickAt = { x: shuttle.x + 4, y: shuttle.y - 3 }
  const box = await frameBox(page)
  const sp = box.toScreen(clickAt.x, clickAt.y)
  await page.mouse.click(sp.x, sp.y)
  await expect(page.getByTestId('snap-note')).toContainText('motion peak')
  const stored = await waitStored(shuttle.frame, shuttle, 1)
  expect(Math.hypot(stored.x - shuttle.x, stored.y - shuttle.y)).toBeLessThan(1)
  // Before → after: the click's ring and the line to the snapped point are drawn where the click was.
  await expect.poll(() => overlayPaintAt(page, sp.x, sp.y)).toBe(true)

  // Undo takes the snapped label away like any edit; redo puts it back.
  await page.keyboard.press('Control+z')
  await expect(page.getByTestId('frame-inspector')).toContainText('unlabelled')
  await page.keyboard.press('Control+Shift+Z')
  await expect(page.getByTestId('frame-inspector')).toContainText(
    `visible at ${stored.x.toFixed(1)}, ${stored.y.toFixed(1)}`
  )

  // Off, a click lands where it is made.
  await page.keyboard.press('s')
  await expect(page.getByTestId('snap-toggle')).toHaveText(/snap off/)
})

test('drop videos on an empty project: uploaded and added, a non-video and a duplicate turned away', async ({
  page
}) => {
  const video = await makeTestVideo('cfr', dir, {
    frames: 20,
    width: 160,
    height: 120,
    name: 'dropped rally.mp4'
  })
  const bytes = readFileSync(video).toString('base64')
  const emptyDir = path.join(dir, 'empty project')
  await page.goto(studio.url)
  await page.getByTestId('tab-library').click()
  await page.getByTestId('project-dir').fill(emptyDir)
  await page.getByTestId('project-create').click()
  await expect(page.getByTestId('empty-project')).toBeVisible()

  const drop = async (files: { name: string; b64: string; type: string }[]) => {
    const dt = await page.evaluateHandle((list) => {
      const t = new DataTransfer()
      for (const f of list) {
        const bin = atob(f.b64)
        const data = Uint8Array.from(bin, (c) => c.charCodeAt(0))
        t.items.add(new File([data], f.name, { type: f.type }))
      }
      return t
    }, files)
    const zone = page.getByTestId('video-drop-zone').first()
    await zone.dispatchEvent('dragenter', { dataTransfer: dt })
    await zone.dispatchEvent('dragover', { dataTransfer: dt })
    await zone.dispatchEvent('drop', { dataTransfer: dt })
  }

  await drop([
    { name: 'dropped rally.mp4', b64: bytes, type: 'video/mp4' },
    { name: 'notes.txt', b64: btoa('not a video'), type: 'text/plain' },
    { name: 'dropped rally.mp4', b64: bytes, type: 'video/mp4' }
  ])
  const added = page.getByTestId('drop-item-added')
  await expect(added).toHaveCount(1)
  await expect(added).toContainText('added to match_1 as dropped rally')
  const rejected = page.getByTestId('drop-item-rejected')
  await expect(rejected).toHaveCount(2)
  await expect(rejected.nth(0)).toContainText('notes.txt')
  await expect(rejected.nth(0)).toContainText('not a video')
  await expect(rejected.nth(1)).toContainText('duplicate name')
  await expect(page.getByTestId('clip-dropped rally')).toBeVisible()
  await expect(page.getByTestId('empty-project')).toHaveCount(0)
  const onDisk = path.join(emptyDir, 'match_1', 'video', 'dropped rally.mp4')
  expect(readFileSync(onDisk).equals(readFileSync(video))).toBe(true)
  expect(readdirSync(path.dirname(onDisk))).toEqual(['dropped rally.mp4'])

  // Dropped again later: the match has it already.
  await drop([{ name: 'dropped rally.mp4', b64: bytes, type: 'video/mp4' }])
  await expect(rejected).toHaveCount(1)
  await expect(rejected).toContainText('duplicate name: match "match_1" has a clip "dropped rally" already')

  // It opens as a clip, its frame index kept inside the project.
  await page.getByTestId('clip-dropped rally').locator('button.link').click()
  await expect(page.getByTestId('frame-canvas')).toHaveAttribute('data-shown-frame', '0')
  const index = path.join(emptyDir, '.studio', 'index')
  expect(readdirSync(index).filter((f) => f.endsWith('.vidx'))).toHaveLength(1)
})
