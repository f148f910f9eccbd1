// Runs in plain Node (scripts/bench-track.ts): CPU time — this process's (every thread: the tracking thread,
// the inference worker, onnxruntime's threads) and, on Linux, that of its child processes which have ended
// (ffmpeg), from /proc/self/stat. The CPU a frame costs end to end beyond what the model alone costs is the
// pipeline's work in CPU rather than in wall time, which the host's other tenants move more.
import { readFileSync } from 'node:fs'

/** Clock ticks a second of /proc's times (USER_HZ, 100 on Linux whatever the kernel's HZ). */
const USER_HZ = 100

/** CPU seconds of the ended (waited-for) children; null where /proc is not there. */
function childrenSeconds(): number | null {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8')
    // After "pid (comm) " come the fields from the 3rd on; cutime and cstime are the 16th and 17th.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const ticks = Number(f[16 - 3]) + Number(f[17 - 3])
    return Number.isFinite(ticks) ? ticks / USER_HZ : null
  } catch {
    return null
  }
}

export interface CpuMark {
  self: number
  children: number | null
}

export function cpuMark(): CpuMark {
  const u = process.cpuUsage()
  return { self: (u.user + u.system) / 1e6, children: childrenSeconds() }
}

/** CPU seconds since `from`, this process and its ended children (null: children unknown on this system). */
export function cpuSince(from: CpuMark): { self: number; children: number | null } {
  const now = cpuMark()
  const children = now.children !== null && from.children !== null ? now.children - from.children : null
  return { self: now.self - from.self, children }
}
