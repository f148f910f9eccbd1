// Runs in plain Node (the command line): where the built pieces lie relative to this bundle (out/main/).
import { readFileSync } from 'node:fs'
import path from 'node:path'

export function rendererDir(): string {
  return path.join(__dirname, '..', 'renderer')
}

export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      version?: string
    }
    return pkg.version ?? 'dev'
  } catch {
    return 'dev'
  }
}
