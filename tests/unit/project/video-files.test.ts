// Runs in Node (Vitest): the rules a dropped file meets before it becomes a clip — the same in the renderer
// (turned away before a byte is sent) and the backend (checked again when the bytes arrive).
import { describe, expect, it } from 'vitest'
import { checkDroppedFiles, clipNameOf, extensionOf, isVideoFileName } from '@shared/project/video-files'

describe('dropped video files', () => {
  it('names the clip after the file, without what a file name cannot hold', () => {
    expect(clipNameOf('rally one.MP4')).toBe('rally one')
    expect(clipNameOf('C:\\clips\\final: set 3.mov')).toBe('final_ set 3')
    expect(clipNameOf('..hidden.mkv')).toBe('hidden')
    expect(clipNameOf('tab\there.mp4')).toBe('tab_here')
    expect(extensionOf('archive.tar.GZ')).toBe('.gz')
    expect(extensionOf('.mp4')).toBe('')
    expect(isVideoFileName('x.webm')).toBe(true)
    expect(isVideoFileName('x.txt')).toBe(false)
  })

  it('turns away non-videos, empty and too-big files and duplicate names, each with its reason', () => {
    const v = checkDroppedFiles(
      [
        { name: 'a.mp4', size: 10 },
        { name: 'notes.txt', size: 10 },
        { name: 'empty.mp4', size: 0 },
        { name: 'huge.mov', size: 5000 },
        { name: 'taken.mp4', size: 10 },
        { name: 'A.mp4', size: 10 },
        { name: 'a.mkv', size: 10 }
      ],
      'm',
      ['taken'],
      1000
    )
    expect(v.map((x) => (x.ok ? 'ok' : x.reason.split(':')[0]))).toEqual([
      'ok',
      'not a video the project can hold (.mp4, .mov, .avi, .mkv, .m4v, .webm, .mts, .ts)',
      'the file is empty',
      'too big',
      'duplicate name',
      'ok',
      'duplicate name'
    ])
    expect(v[3]).toMatchObject({ ok: false, reason: 'too big: 4.9 KiB, the limit is 1000 bytes' })
    expect(checkDroppedFiles([{ name: 'huge.mov', size: 5e12 }], 'm', [], null)[0]!.ok).toBe(true)
  })
})
