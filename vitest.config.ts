// Runs at test time (Node): unit tests live in tests/unit and beside the Pinia stores; type tests run with
// the compiler through expectTypeOf.
import vue from '@vitejs/plugin-vue'
import { resolve } from 'node:path'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  plugins: [vue()],
  // The path aliases of tsconfig.base.json, as in electron.vite.config.ts.
  resolve: {
    alias: {
      '@shared': resolve(__dirname, 'src/shared'),
      '@renderer': resolve(__dirname, 'src/renderer/src')
    }
  },
  test: {
    include: ['tests/unit/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // The tracker's auto precision measures fp32 against int8 on this machine; tests compare figures across
    // runs, so they run the exact model (the int8 tests ask for their precision explicitly).
    env: { SHUTTLE_PRECISION: 'fp32' },
    typecheck: { enabled: true, include: ['tests/types/**/*.test-d.ts'], tsconfig: './tsconfig.node.json' }
  }
})
