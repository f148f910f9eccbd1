// Runs in the backend (plain Node): which onnxruntime execution providers to try, in order. The GPU provider
// of the platform first (CUDA on Linux, DirectML on Windows, CoreML on macOS), the CPU always last, so a
// missing driver or library never stops tracking: it only makes it slower, and the job says why. On Linux `auto`
// tries CUDA only where an NVIDIA driver is present: elsewhere the attempt could only fail, and its reason (with
// how to install onnxruntime-node's CUDA files) would greet every laptop user on the tracking status line.
import fs from 'node:fs'

export const PROVIDER_CHOICES = ['auto', 'cpu', 'cuda', 'dml', 'coreml'] as const
export type ProviderChoice = (typeof PROVIDER_CHOICES)[number]
export type ProviderName = Exclude<ProviderChoice, 'auto'>

export function isProviderChoice(v: unknown): v is ProviderChoice {
  return typeof v === 'string' && (PROVIDER_CHOICES as readonly string[]).includes(v)
}

/** The platform's GPU provider, or null where onnxruntime-node has none. */
export function gpuProviderFor(platform: NodeJS.Platform): ProviderName | null {
  if (platform === 'linux') return 'cuda'
  if (platform === 'win32') return 'dml'
  if (platform === 'darwin') return 'coreml'
  return null
}

/** Files an NVIDIA driver leaves on Linux: the kernel module's, its control device, WSL2's CUDA library. */
const NVIDIA_DRIVER_FILES = ['/proc/driver/nvidia/version', '/dev/nvidiactl', '/usr/lib/wsl/lib/libcuda.so.1']

/** Whether this Linux machine has an NVIDIA driver, so that CUDA can run at all. */
export function nvidiaDriverPresent(exists: (file: string) => boolean = fs.existsSync): boolean {
  return NVIDIA_DRIVER_FILES.some((f) => exists(f))
}

/**
 * Providers to try in order; a forced one is tried alone, then the CPU as the fallback. `auto` on Linux skips
 * CUDA where `nvidia` says there is no NVIDIA driver (asked only then).
 */
export function providerOrder(
  choice: ProviderChoice,
  platform: NodeJS.Platform = process.platform,
  nvidia: () => boolean = nvidiaDriverPresent
): ProviderName[] {
  if (choice === 'cpu') return ['cpu']
  if (choice === 'auto') {
    const gpu = gpuProviderFor(platform)
    if (gpu === 'cuda' && !nvidia()) return ['cpu']
    return gpu ? [gpu, 'cpu'] : ['cpu']
  }
  return [choice, 'cpu']
}

/** What to tell the user about the provider that runs, given what failed before it. */
export function providerReport(
  provider: string,
  tried: ReadonlyArray<{ provider: string; error: string }>
): string {
  if (!tried.length) return `${provider}`
  const why = tried.map((t) => `${t.provider} unavailable: ${t.error}`).join('; ')
  const hint = tried.some((t) => t.provider === 'cuda')
    ? ' (GPU on Linux: ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install.js)'
    : ''
  return `${provider} (${why}${hint})`
}

/**
 * Whether the CPU provider is the one that will run: no GPU provider comes before it in the order, or each
 * that does cannot start here (`gpuUsable` says so, e.g. the CUDA files are not installed).
 */
export function cpuWillRun(
  choice: ProviderChoice,
  gpuUsable: (p: ProviderName) => boolean,
  platform: NodeJS.Platform = process.platform,
  nvidia: () => boolean = nvidiaDriverPresent
): boolean {
  return providerOrder(choice, platform, nvidia).find((p) => p === 'cpu' || gpuUsable(p)) === 'cpu'
}
