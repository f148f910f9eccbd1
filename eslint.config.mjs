// Runs at lint time (Node). Besides style, this file enforces where code may run: the process boundaries of
// ARCHITECTURE.md are lint errors, not conventions.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import pluginVue from 'eslint-plugin-vue'
import vueParser from 'vue-eslint-parser'

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'child_process',
  'crypto',
  'http',
  'net',
  'stream',
  'url',
  'util',
  'worker_threads'
]
const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }]
})

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'training/**',
      'resources/**',
      'test-results/**',
      'playwright-report/**',
      '**/.tmp/**'
    ]
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: {
      parser: vueParser,
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] }
    }
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // TypeScript checks names; eslint's no-undef does not know DOM or Node types.
      'no-undef': 'off',
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      // Prettier owns formatting; these layout rules of eslint-plugin-vue would fight it.
      'vue/html-closing-bracket-newline': 'off',
      'vue/html-indent': 'off'
    }
  },
  {
    // Type-aware checks where a promise dropped on the floor loses an error or a write: every process but the
    // renderer (its .vue files would need vue-tsc's program, and linting with types costs time).
    files: ['src/{backend,shared,cli,main,preload}/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error'
    }
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: restrict(
      [
        ...nodeBuiltins,
        'electron',
        'vue',
        'pinia',
        '**/backend/**',
        '**/main/**',
        '**/renderer/**',
        '@renderer/**',
        '**/preload/**'
      ],
      'src/shared is pure TypeScript that every process imports: no Node, DOM framework or process-specific imports.'
    )
  },
  {
    files: ['src/backend/**/*.ts', 'src/cli/**/*.ts'],
    rules: restrict(
      ['electron', 'vue', 'pinia', '**/renderer/**', '@renderer/**', '**/main/**', '**/preload/**'],
      'The backend and the CLI run in plain Node too (browser mode, command line): never import electron or UI code.'
    )
  },
  {
    files: ['src/main/**/*.ts'],
    rules: restrict(
      ['**/backend/**', '**/renderer/**', '@renderer/**', 'vue', 'pinia', 'onnxruntime-node'],
      'The main process stays thin: it reaches the backend only through its utilityProcess, never by import.'
    )
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: restrict(
      [...nodeBuiltins, '**/backend/**', '**/renderer/**', '@renderer/**', '**/main/**'],
      'The preload is sandboxed: only electron and src/shared.'
    )
  },
  {
    files: ['src/renderer/**/*.{ts,vue}'],
    rules: restrict(
      [...nodeBuiltins, 'electron', '**/backend/**', '**/main/**', 'onnxruntime-node', 'ws'],
      'The renderer runs in a browser: it reaches the backend only through the client (src/renderer/src/api).'
    )
  },
  {
    // The inference worker is started from its text (inference-client.ts): a run-time import of our own code
    // would become a require of a bundle chunk, which an evaluated worker cannot resolve. Types are free.
    files: ['src/backend/tracking/inference-worker.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['*', '!node:*'],
              allowTypeImports: true,
              message: 'The inference worker imports only Node modules at run time (types are free).'
            }
          ]
        }
      ]
    }
  },
  {
    // Tests beside the stores run in Node (Vitest) and may set up real backends.
    files: ['src/**/*.test.ts'],
    rules: { 'no-restricted-imports': 'off' }
  },
  {
    // The bin shim is CommonJS on purpose: it runs before anything is built and loads the bundle with require.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' }
  }
)
