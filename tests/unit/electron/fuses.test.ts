// Runs in Node (Vitest): the Electron fuses of the packaged app, read from electron-builder.yml by
// electron-builder's own configuration loader and checked against its own schema, so a misspelt key (which
// electron-builder would reject, or a fuse silently left at Electron's default) fails here, without building.
import { createRequire } from 'node:module'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = path.resolve(__dirname, '../../..')

interface ConfigModule {
  getConfig: (
    projectDir: string,
    configPath: string | null,
    fromOptions: null
  ) => Promise<Record<string, unknown>>
  validateConfiguration: (config: Record<string, unknown>, logger: { isEnabled: boolean }) => Promise<void>
}

/** electron-builder's loader lives in app-builder-lib, a dependency of the electron-builder dev dependency. */
function loadConfigModule(): ConfigModule | string {
  try {
    const fromBuilder = createRequire(
      createRequire(path.join(ROOT, 'package.json')).resolve('electron-builder')
    )
    return fromBuilder('app-builder-lib/out/util/config/config') as ConfigModule
  } catch (e) {
    return `electron-builder is not installed (${(e as Error).message.split('\n')[0]})`
  }
}

const loader = loadConfigModule()
if (typeof loader === 'string') console.warn(`fuses test skipped: ${loader}`)

describe.skipIf(typeof loader === 'string')('Electron fuses in electron-builder.yml', () => {
  it('turns off running as Node, NODE_OPTIONS, --inspect and file:// privileges; asar only and checked', async () => {
    const m = loader as ConfigModule
    const config = await m.getConfig(ROOT, path.join(ROOT, 'electron-builder.yml'), null)
    await m.validateConfiguration(config, { isEnabled: false })
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false
    })
    // Integrity validation needs the app inside an asar archive: it must not be switched off.
    expect(config.asar).not.toBe(false)
  })
})
