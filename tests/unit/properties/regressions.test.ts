// Runs in Node (Vitest): the counterexamples the label properties found, kept as plain cases so each fix stays
// fixed even if a property's generator changes.
import { describe, expect, it } from 'vitest'
import { readLabelCsv } from '@shared/labels/read'
import { LabelWriteError, writeLabelCsv } from '@shared/labels/write'
import { createColumns, importEdits, LabelEdit, readLabels } from '@shared/project'
import { readCoco, writeCoco } from '@shared/project/formats/coco'
import { readCvat, writeCvat } from '@shared/project/formats/cvat'
import { writeNormalisedCsv } from '@shared/project/formats/normalised'

const HD = { width: 1280, height: 720 }
const codes = (r: { issues: { row: number; code: string }[] }): string[] =>
  r.issues.map((i) => `${i.row}:${i.code}`)
const cvat = (body: string): string => `<annotations>\n<track label="s">\n${body}\n</track>\n</annotations>\n`

describe('label CSV', () => {
  it('an issue about a fractional frame does not carry it as its frame (the API sends whole frames)', () => {
    const r = readLabelCsv('Frame,Visibility,X,Y\n.5,0,0,0\n-5e-324,0,0,0\n')
    expect(r.issues).toHaveLength(2)
    for (const i of r.issues) expect(i).not.toHaveProperty('frame')
    expect(r.issues[0]?.message).toContain('0.5')
  })

  it('reads a file with mixed line endings line by line, on the right lines', () => {
    const r = readLabelCsv('Frame,Visibility,X,Y\r\n0,0,0,0\n1,1,2,3\r\n2,1,5,5\r3,0,0,0\n')
    expect(r.issues).toEqual([])
    expect(r.points.map((p) => [p.frame, p.row])).toEqual([
      [0, 2],
      [1, 3],
      [2, 4],
      [3, 5]
    ])
  })

  it('a stray quote spoils its own line only; a quoted line break does not shift later line numbers', () => {
    const stray = readLabelCsv('Frame,Visibility,X,Y\n"0,1,2,3\n1,1,4,5\n')
    expect(codes(stray)).toEqual(['2:missing-columns', '3:missing-frames'])
    expect(stray.points.map((p) => [p.frame, p.row])).toEqual([[1, 3]])
    const broken = readLabelCsv('Frame,Visibility,X,Y\n"0\n",1,2,3\n1,x,2,3\n')
    expect(codes(broken)).toEqual(['2:missing-columns', '3:missing-columns', '4:visibility-not-number'])
  })

  it('takes the delimiter from the header, not from a line of empty cells above it', () => {
    const r = readLabelCsv(',,,\nFrame;Visibility;X;Y\n0;1;2;3\n')
    expect(r.issues).toEqual([])
    expect(r.points).toEqual([{ frame: 0, visible: true, x: 2, y: 3, row: 3 }])
  })

  it('reads decimal numbers only: a blank, hex or binary cell is no frame and no position', () => {
    const r = readLabelCsv('Frame,Visibility,X,Y\n0x10,1,5,5\n0b1,1,5,5\n2,1,0x10,5\n3,1, ,5\n')
    expect(codes(r)).toEqual([
      '2:frame-not-number',
      '3:frame-not-number',
      '4:coordinate-not-number',
      '5:coordinate-not-number'
    ])
  })

  it('refuses a frame beyond 2^53, which would silently read as another frame', () => {
    const r = readLabelCsv('Frame,Visibility,X,Y\n9007199254740993,1,1,1\n')
    expect(r.points).toEqual([])
    expect(codes(r)).toEqual(['2:frame-not-integer'])
    expect(r.issues[0]?.message).toMatch(/too large/)
  })

  it('a normalised value that overflows when scaled to pixels is no position', () => {
    const r = readLabelCsv('Frame,Ball,x,y\n0,1,1e306,0.5\n1,0,1e306,0\n', {
      video: { width: 1920, height: 1080 }
    })
    for (const p of r.points) expect([p.x, p.y].every(Number.isFinite)).toBe(true)
    expect(r.points.map((p) => p.frame)).toEqual([1])
    expect(codes(r)).toEqual([
      '2:normalised-out-of-range',
      '2:coordinate-not-number',
      '3:coordinate-not-number',
      '3:missing-frames'
    ])
    expect(r.issues[1]?.message).toContain('too large to be a position')
  })

  it('the writers refuse a confidence or a size they cannot write as a number', () => {
    const p = { frame: 0, visible: true, x: 1, y: 2, confidence: NaN }
    expect(() => writeLabelCsv([p], { confidence: true })).toThrow(LabelWriteError)
    expect(() => writeCoco([p], { video: HD, frameCount: 1, clip: 'c' })).toThrow(/confidence NaN/)
    expect(() => writeCvat([p], { video: HD, frameCount: 1 })).toThrow(LabelWriteError)
    const q = { frame: 0, visible: true, x: 1, y: 2 }
    expect(() => writeNormalisedCsv([q], { width: 0, height: 720 })).toThrow(/not a picture size/)
    expect(() => writeCoco([{ ...q, frame: 5 }], { video: HD, frameCount: 5, clip: 'c' })).toThrow(/beyond/)
  })
})

describe('COCO', () => {
  it('answers JSON that is not an object, or holds null images and annotations, with an issue', () => {
    // A null image names no frame and is skipped; only annotations are labels.
    expect(readCoco('{"images":[null],"annotations":[]}')).toEqual({ points: [], issues: [] })
    for (const text of ['null', '7', '"x"', '[]', '{"images":[],"annotations":[null]}']) {
      const r = readCoco(text)
      expect(r.points, text).toEqual([])
      expect(r.issues.length, text).toBeGreaterThan(0)
    }
  })

  it('1e400 (Infinity once parsed) is no position and no score', () => {
    const text =
      '{"images":[{"id":0},{"id":1}],"annotations":[{"image_id":0,"keypoints":[1e400,2,2]},' +
      '{"image_id":1,"keypoints":[3,4,2],"score":1e400}]}'
    const r = readCoco(text)
    expect(r.points).toEqual([{ frame: 1, visible: true, x: 3, y: 4, row: 2 }])
    expect(codes(r)).toEqual(['1:missing-columns', '2:confidence-out-of-range'])
  })

  it('a keypoint flag other than 0, 1, 2 is named, not read as hidden', () => {
    const r = readCoco('{"images":[{"id":0}],"annotations":[{"image_id":0,"keypoints":[3,4,3]}]}')
    expect(r.points).toEqual([])
    expect(codes(r)).toEqual(['1:visibility-unusual'])
  })

  it('a score outside 0..1 is reported', () => {
    const r = readCoco('{"images":[{"id":0}],"annotations":[{"image_id":0,"keypoints":[3,4,2],"score":-2}]}')
    expect(codes(r)).toEqual(['1:confidence-out-of-range'])
  })

  it('JSON nested a hundred thousand deep is an issue, not a stack overflow', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000)
    for (const text of [deep, `{"images":[],"annotations":${deep}}`]) {
      const r = readCoco(text)
      expect(r.points).toEqual([])
      expect(r.issues.length, text.slice(0, 30)).toBeGreaterThan(0)
    }
  })

  it('a file name of a million digits is one pass, not one per digit', () => {
    const name = '1'.repeat(1_000_000)
    const r = readCoco(JSON.stringify({ images: [{ id: 'a', file_name: name }], annotations: [] }))
    expect(r.issues).toEqual([])
  })
})

describe('CVAT', () => {
  it('an empty frame or position attribute is not frame 0 or position 0', () => {
    const r = readCvat(
      cvat('<points frame="" outside="0" points="1,2"/>\n<points frame="3" outside="0" points=","/>')
    )
    expect(r.points).toEqual([])
    expect(codes(r)).toEqual(['3:frame-not-number', '4:coordinate-not-number'])
  })

  it('an empty confidence is left out and named, not read as 0', () => {
    const r = readCvat(
      cvat('<points frame="1" outside="0" points="1,2"><attribute name="confidence"></attribute></points>')
    )
    expect(r.points).toEqual([{ frame: 1, visible: true, x: 1, y: 2, row: 3 }])
    expect(codes(r)).toEqual(['3:confidence-out-of-range'])
  })

  it('skips a commented-out keyframe and names an unclosed one', () => {
    const r = readCvat(cvat('<!-- <points frame="1" points="1,2"/> -->\n<points frame="2" points="3,4">'))
    expect(r.points).toEqual([])
    expect(codes(r)).toEqual(['4:missing-columns'])
  })

  it('finds a track by a label holding XML entities, and names the one it read', () => {
    const text = writeCvat([{ frame: 0, visible: true, x: 1, y: 2 }], {
      video: HD,
      frameCount: 1,
      label: 'a&b'
    })
    const withDecoy = text.replace(
      '  <track ',
      '  <track label="other"><points frame="0" points="9,9"/></track>\n  <track '
    )
    const r = readCvat(withDecoy, { label: 'a&b' })
    expect(r.points.map((p) => p.x)).toEqual([1])
    expect(r.issues[0]?.message).toContain('"a&b"')
  })

  it('a character reference beyond Unicode is left as written, not thrown on', () => {
    const r = readCvat(cvat('<points frame="&#x110000;" points="1,2"/>'))
    expect(codes(r)).toEqual(['3:frame-not-number'])
  })

  it('two hundred thousand unclosed tracks or keyframes are one pass, not one per tag', () => {
    const tracks = readCvat('<annotations>' + '<track>'.repeat(200_000))
    expect(codes(tracks)).toEqual(['0:empty-file'])
    const points = readCvat(cvat('<points frame="1">'.repeat(200_000)), { maxIssuesPerCode: 1 })
    expect(points.points).toEqual([])
    expect(points.issues.map((i) => i.code)).toEqual(['missing-columns', 'more-issues'])
  })
})

describe('import', () => {
  it('a position beyond any video is reported by the reader and left out of the edits', () => {
    const read = readLabels('Frame,Visibility,X,Y\n0,1,1e306,5\n1,1,10,20\n', 'auto', {
      video: HD,
      frameCount: 2
    })
    expect(codes(read)).toEqual(['2:coordinate-huge'])
    const plan = importEdits(createColumns(2), read)
    expect(plan).toMatchObject({ frames: 1, outOfRange: 1 })
    for (const e of plan.edits) expect(LabelEdit.safeParse(e).success).toBe(true)
  })
})
