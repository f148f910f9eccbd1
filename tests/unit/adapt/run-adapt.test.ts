// Runs in Node (Vitest): the adaptation runner around a real child process. A stand-in `shuttle_training.adapt`
// (a plain Python script, no PyTorch needed) prints the interface's lines and reacts to signals as told, so
// what is checked is the runner itself: the arguments it passes, events and text lines, the exit code, SIGTERM
// on a stop (the child exports and exits 0), SIGKILL for a child that will not stop, and no child left running
// when the parent process exits.
import { execFileSync, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AdaptEvent } from '../../../src/backend/adapt/adapt-events'
import { runAdapt, type RunAdaptOptions } from '../../../src/backend/adapt/run-adapt'

const STAND_IN = String.raw`
import json, os, signal, stat, sys, time
mode = os.environ.get("STAND_IN_MODE", "ok")
def say(**o):
    print(json.dumps(o), flush=True)
def on_term(signum, frame):
    if mode == "stubborn":
        return
    say(event="exported", file=sys.argv[sys.argv.index("--out") + 1], f1=0.5, f1_before=0.25, stopped=True)
    sys.exit(0)
signal.signal(signal.SIGTERM, on_term)
say(event="start", train_frames=30, held_frames=10, budget_s=60, pid=os.getpid(), argv=sys.argv[1:],
    watch=os.environ.get("SHUTTLE_EXIT_WITH_PARENT"), stdin_pipe=stat.S_ISFIFO(os.fstat(0).st_mode) or stat.S_ISSOCK(os.fstat(0).st_mode))
print("a warning some library printed", flush=True)
say(event="step", step=1, loss=0.5, elapsed_s=1.0, budget_s=60)
print("Traceback: something on stderr", file=sys.stderr, flush=True)
if mode == "ok":
    say(event="exported", file="out.onnx", f1=0.75, f1_before=0.25, stopped=False)
    sys.exit(0)
if mode == "fail":
    say(event="error", message="too few labels", code=2)
    sys.exit(2)
while True:
    time.sleep(0.05)
`

function findPython(): string | null {
  for (const p of ['python3', 'python']) {
    try {
      execFileSync(p, ['-c', 'import json, signal'], { stdio: 'ignore' })
      return p
    } catch {
      // next
    }
  }
  return null
}

const python = findPython()
let dir: string
let packageDir: string

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'run-adapt-'))
  packageDir = path.join(dir, 'pkg')
  mkdirSync(path.join(packageDir, 'shuttle_training'), { recursive: true })
  writeFileSync(path.join(packageDir, 'shuttle_training', '__init__.py'), '')
  writeFileSync(path.join(packageDir, 'shuttle_training', 'adapt.py'), STAND_IN)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function options(extra: Partial<RunAdaptOptions> & { onEvent: RunAdaptOptions['onEvent'] }): RunAdaptOptions {
  return {
    python: python!,
    packageDir,
    manifest: path.join(dir, 'manifest.json'),
    base: path.join(dir, 'base.pt'),
    minutes: 1.5,
    out: path.join(dir, 'out.onnx'),
    runDir: path.join(dir, 'run'),
    ...extra
  }
}

async function withMode<T>(mode: string, f: () => Promise<T>): Promise<T> {
  process.env.STAND_IN_MODE = mode
  try {
    return await f()
  } finally {
    delete process.env.STAND_IN_MODE
  }
}

describe.skipIf(!python)('runAdapt', () => {
  it('passes the arguments, streams events and text, and returns the exit code and stderr', async () => {
    const events: AdaptEvent[] = []
    const text: string[] = []
    const r = await withMode('ok', () =>
      runAdapt(
        options({
          onEvent: (e) => events.push(e),
          onText: (t) => text.push(t),
          resume: true,
          threads: 2,
          seed: 3
        })
      )
    )
    expect(r.code).toBe(0)
    expect(r.stderrTail).toContain('Traceback: something on stderr')
    expect(events.map((e) => e.event)).toEqual(['start', 'step', 'exported'])
    expect(text).toEqual(['a warning some library printed'])
    // Asked to stop by itself when this process is gone: stdin a pipe that closes then.
    expect(events[0]).toMatchObject({ watch: '1', stdin_pipe: true })
    const argv = (events[0] as { argv?: string[] }).argv
    expect(argv).toEqual([
      '--manifest',
      path.join(dir, 'manifest.json'),
      '--base',
      path.join(dir, 'base.pt'),
      '--minutes',
      '1.5',
      '--out',
      path.join(dir, 'out.onnx'),
      '--run-dir',
      path.join(dir, 'run'),
      '--resume',
      '--threads',
      '2',
      '--seed',
      '3'
    ])
  })

  it('passes a replay folder and its share when given', async () => {
    const events: AdaptEvent[] = []
    const replay = path.join(dir, 'replay')
    await withMode('ok', () => runAdapt(options({ onEvent: (e) => events.push(e), replay, replayP: 0.3 })))
    const argv = (events[0] as { argv?: string[] }).argv ?? []
    expect(argv.slice(-4)).toEqual(['--replay', replay, '--replay-p', '0.3'])
  })

  it('returns the code of a refusal with its error event', async () => {
    const events: AdaptEvent[] = []
    const r = await withMode('fail', () => runAdapt(options({ onEvent: (e) => events.push(e) })))
    expect(r.code).toBe(2)
    expect(events.at(-1)).toEqual({ event: 'error', message: 'too few labels', code: 2 })
  })

  it('a stop sends SIGTERM: the child exports the best model so far and exits 0', async () => {
    const ac = new AbortController()
    const events: AdaptEvent[] = []
    const r = await withMode('wait', () =>
      runAdapt(
        options({
          signal: ac.signal,
          onEvent: (e) => {
            events.push(e)
            if (e.event === 'step') ac.abort()
          }
        })
      )
    )
    expect(r.code).toBe(0)
    expect(events.at(-1)).toMatchObject({ event: 'exported', stopped: true })
  })

  it('a child that ignores SIGTERM is killed after the grace period', async () => {
    const ac = new AbortController()
    const r = await withMode('stubborn', () =>
      runAdapt(
        options({
          signal: ac.signal,
          graceMs: 200,
          onEvent: (e) => {
            if (e.event === 'step') ac.abort()
          }
        })
      )
    )
    expect(r.code).toBe(128 + 9)
  })

  it('never leaves the child running when the parent process exits', async () => {
    // A parent that starts a run with a child that ignores SIGTERM, prints the child's pid and exits at once.
    const script = path.join(dir, 'parent.mts')
    const runner = path.resolve('src/backend/adapt/run-adapt.ts')
    const o = JSON.stringify(options({ onEvent: () => undefined }))
    writeFileSync(
      script,
      `import { runAdapt } from ${JSON.stringify(runner)}\n` +
        `void runAdapt({ ...${o}, onEvent: (e: { event: string; pid?: number }) => {\n` +
        `  if (e.event === 'start') { console.log(e.pid); process.exit(0) } } })\n`
    )
    const parent = spawn(process.execPath, ['--import', 'tsx', script], {
      env: { ...process.env, STAND_IN_MODE: 'stubborn' },
      stdio: ['ignore', 'pipe', 'inherit']
    })
    let out = ''
    parent.stdout.on('data', (d: Buffer) => (out += d.toString()))
    const code = await new Promise<number | null>((resolve) => parent.once('close', resolve))
    expect(code).toBe(0)
    const pids = out.trim().split('\n').map(Number)
    expect(pids).toHaveLength(1)
    expect(pids[0]).toBeGreaterThan(0)
    // SIGKILL was sent before the parent exited; wait for the kernel to finish the children off.
    const alive = (pid: number): boolean => {
      try {
        process.kill(pid, 0)
        return true
      } catch {
        return false
      }
    }
    for (let i = 0; i < 200 && pids.some(alive); i++) await new Promise((r) => setTimeout(r, 25))
    const left = pids.filter(alive)
    // Never leave a stubborn stand-in behind, even when this test fails.
    for (const pid of left) process.kill(pid, 'SIGKILL')
    expect(left).toEqual([])
  })
})

if (!python) console.log('runAdapt tests skipped: no python3 to run the stand-in adaptation script')
