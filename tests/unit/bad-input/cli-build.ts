// Runs in Node (Vitest): the command line as users run it — bin/shuttle-studio.cjs loading a bundle of
// src/cli — started as a child process. `npm test` runs the unit tests before `npm run build`, so out/ may be
// missing or stale; the suite bundles the current sources itself, the way the build does (Vite, CommonJS, the
// packages left external), into a private folder inside node_modules (so the packages resolve) beside a copy
// of the real bin script.
import { spawn } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import path from 'node:path'
import { build } from 'vite'

const ROOT = path.resolve(__dirname, '../../..')

export interface CliBuild {
  bin: string
  dir: string
}

export async function buildCli(): Promise<CliBuild> {
  const cache = path.join(ROOT, 'node_modules', '.cache')
  mkdirSync(cache, { recursive: true })
  const dir = mkdtempSync(path.join(cache, 'bad-input-cli-'))
  await build({
    configFile: false,
    root: ROOT,
    logLevel: 'error',
    build: {
      ssr: true,
      outDir: path.join(dir, 'out', 'main'),
      emptyOutDir: true,
      minify: false,
      sourcemap: false,
      rollupOptions: {
        // The tracker's inference worker is an entry of its own, read beside the CLI's code as the build does.
        input: {
          cli: path.join(ROOT, 'src/cli/index.ts'),
          'inference-worker': path.join(ROOT, 'src/backend/tracking/inference-worker.ts')
        },
        output: { format: 'cjs', entryFileNames: '[name].js' }
      }
    }
  })
  mkdirSync(path.join(dir, 'bin'))
  const bin = path.join(dir, 'bin', 'shuttle-studio.cjs')
  copyFileSync(path.join(ROOT, 'bin', 'shuttle-studio.cjs'), bin)
  return { bin, dir }
}

export function removeCli(b: CliBuild | undefined): void {
  if (b) rmSync(b.dir, { recursive: true, force: true })
}

export interface CliRun {
  code: number
  stdout: string
  stderr: string
}

export interface RunOptions {
  env?: Record<string, string>
  /** Largest file the command may write, in KiB (the shell's `ulimit -f`): 0 is a disk with no room. */
  fileSizeLimitKiB?: number
  /** Run as this user id (a root test runner drops to it so that file permissions apply). */
  uid?: number
  /** A command still running after this long is stopped and reported as hanging (exit 124). */
  timeoutMs?: number
}

/** Runs `shuttle-studio ARGS`; never throws for a non-zero exit (that is what the tests look at). */
export function runCli(b: CliBuild, args: string[], o: RunOptions = {}): Promise<CliRun> {
  const limited = o.fileSizeLimitKiB !== undefined
  // `ulimit -f N; exec node …`: the limit holds for the command and the ffmpeg it starts, and writing past it
  // fails with EFBIG (Node ignores SIGXFSZ), which is what a full disk does to a write half way.
  const cmd = limited ? '/bin/sh' : process.execPath
  const argv = limited
    ? ['-c', `ulimit -f ${o.fileSizeLimitKiB} && exec "$0" "$@"`, process.execPath, b.bin, ...args]
    : [b.bin, ...args]
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, {
      env: { ...process.env, NO_COLOR: '1', ...o.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(o.uid !== undefined ? { uid: o.uid, gid: o.uid } : {})
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    let hung = false
    const timer = setTimeout(() => {
      hung = true
      child.kill('SIGKILL')
    }, o.timeoutMs ?? 120_000)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      if (hung)
        resolve({
          code: 124,
          stdout,
          stderr: `${stderr}\n(hung: stopped after ${o.timeoutMs ?? 120_000} ms)`
        })
      else resolve({ code: code ?? (signal ? 128 : -1), stdout, stderr })
    })
  })
}
