// Runs at build time (Node): one build for every process. The main bundle has four entries — the Electron
// main process, the backend that runs in its utilityProcess, the command line (which also serves browser
// mode), and the tracker's inference worker thread — so the backend is the same code in every host. The
// preload is bundled whole (no externals but electron), as a sandboxed preload cannot require packages.
import vue from '@vitejs/plugin-vue'
import { defineConfig, externalizeDepsPlugin } from 'electron-vite'
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'

// electron-vite reads Electron's major version from Electron's package. Where npm dropped that optional package
// (its binary could not be downloaded and scripts/postinstall.mjs could not put it back), the version comes from
// the range in our own package.json, so the build, and with it browser mode, still works.
// The path aliases of tsconfig.base.json (and vitest.config.ts), for every bundle.
const alias = {
  '@shared': resolve(__dirname, 'src/shared'),
  '@renderer': resolve(__dirname, 'src/renderer/src')
}

if (
  !process.env.ELECTRON_MAJOR_VER &&
  !existsSync(resolve(__dirname, 'node_modules/electron/package.json'))
) {
  const pkg = JSON.parse(readFileSync(resolve(__dirname, 'package.json'), 'utf8'))
  const range: string = pkg.optionalDependencies?.electron ?? pkg.devDependencies?.electron ?? ''
  const major = /\d+/.exec(range)?.[0]
  if (major) process.env.ELECTRON_MAJOR_VER = major
}

export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    resolve: { alias },
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          backend: resolve(__dirname, 'src/backend/entries/utility.ts'),
          cli: resolve(__dirname, 'src/cli/index.ts'),
          // Read as text and started by src/backend/tracking/inference-client.ts.
          'inference-worker': resolve(__dirname, 'src/backend/tracking/inference-worker.ts')
        }
      }
    }
  },
  preload: {
    resolve: { alias },
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        external: ['electron']
      }
    }
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    resolve: { alias },
    build: {
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } }
    },
    plugins: [vue()]
  }
})
