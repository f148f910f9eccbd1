// Runs in the backend (plain Node): reads a label or prediction CSV from disk into the shared label model
// (src/shared/labels), issues included. A file that cannot be read is an exception naming it.
import { readFile } from 'node:fs/promises'
import { readLabelCsv, type ReadLabelsOptions } from '../../shared/labels/read'
import type { ParsedLabels } from '../../shared/labels/types'

export class LabelFileError extends Error {
  override name = 'LabelFileError'
}

export async function readLabelFile(
  filePath: string,
  options: ReadLabelsOptions = {}
): Promise<ParsedLabels> {
  let text: string
  try {
    text = await readFile(filePath, 'utf8')
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    throw new LabelFileError(`${filePath}: cannot be read (${code ?? (e as Error).message}).`)
  }
  return readLabelCsv(text, options)
}
