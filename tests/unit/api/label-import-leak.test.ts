// Runs in Node (Vitest): labels.import is given a path, and the path may be any file the backend can read. A
// file that is not labels is refused without a byte of it in the answer (it once quoted a password file's first
// line); a device or a FIFO is refused before it is read; a real label file's problems are still quoted. A real
// backend, a real video made with ffmpeg, every request through the contract.
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from '../../../src/backend/rpc/dispatch'
import { createBackend, type Backend } from '../../../src/backend/services'
import { makeTestVideo } from '../../helpers/test-videos'
import { makeVideoTestDir } from '../../helpers/video-test-dir'

const tmp = makeVideoTestDir('label-import-leak')
let backend: Backend
let clipId: string

beforeAll(async () => {
  const video = await makeTestVideo('cfr', tmp.dir, { frames: 12, width: 160, height: 120 })
  backend = await createBackend({ host: 'browser', version: 'test', cacheDir: path.join(tmp.dir, 'cache') })
  await backend.handlers['project.create']({ dir: path.join(tmp.dir, 'project') })
  const { added } = await backend.handlers['project.addVideos']({
    match: 'm1',
    paths: [video],
    mode: 'reference'
  })
  clipId = added[0]!.clipId
  await backend.handlers['clip.open']({ clipId })
})

afterAll(async () => {
  await backend?.handlers['project.close']({})
  backend?.dispose()
  tmp.remove()
})

async function importFile(file: string, format = 'auto') {
  const r = await dispatch(backend.handlers, {
    type: 'request',
    id: 1,
    method: 'labels.import',
    params: { clipId, path: file, format, apply: true }
  })
  return { r, text: JSON.stringify(r) }
}

const SECRET = 'hunter2-s3cr3t'

describe('labels.import of files that are not labels', () => {
  it('says what is wrong without quoting a line of the file, in every format', async () => {
    const files: [string, string, string][] = [
      ['passwd', `root:x:0:0:${SECRET}:/root:/bin/bash\ndaemon:x:1:1::/:/bin/sh\n`, 'first line'],
      ['key.json', `{"password": "${SECRET}", oops`, 'COCO JSON'],
      ['config.xml', `<config><password>${SECRET}</password></config>`, 'CVAT XML'],
      ['tabs.csv', `${SECRET}\t1\t2\t3\n`, 'first line']
    ]
    for (const [name, content, says] of files) {
      const file = path.join(tmp.dir, name)
      writeFileSync(file, content)
      for (const format of ['auto', 'tracknet', 'coco', 'cvat']) {
        const { r, text } = await importFile(file, format)
        expect(text, `${name} as ${format}`).not.toContain(SECRET)
        expect(text).not.toContain('root:x')
        if (format === 'auto') {
          expect(r).toMatchObject({ ok: true, result: { format: null, applied: false, rows: 0 } })
          const message = r.ok ? (r.result as { issues: { message: string }[] }).issues[0]!.message : ''
          expect(message).toMatch(/^This is not a label file, so nothing of it is shown\./)
          expect(message).toContain(says)
        }
      }
    }
  })

  it('refuses a device or a FIFO before reading it', async () => {
    if (process.platform === 'win32') return
    // A page never reaches /dev at all (src/backend/fs/access-scope.ts); inside what it may reach, the FIFO
    // below meets the not-a-file check.
    const zero = await importFile('/dev/zero')
    expect(zero.r).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(zero.text).toMatch(/Forbidden: the label file \/dev\/zero is outside/)
    const fifo = path.join(tmp.dir, 'pipe.csv')
    execFileSync('mkfifo', [fifo])
    expect((await importFile(fifo)).text).toMatch(/is not a file/)
  })

  it('still quotes the bad cell of a real label file, which helps to fix it', async () => {
    const file = path.join(tmp.dir, 'labels.csv')
    writeFileSync(file, 'Frame,Visibility,X,Y\n0,1,10,20\ntwo,1,11,21\n')
    const { r } = await importFile(file)
    expect(r).toMatchObject({ ok: true, result: { format: 'tracknet' } })
    expect(JSON.stringify(r)).toContain('Frame \\"two\\" is not a number')
  })
})
