// ESLint flat config: JavaScript recommended everywhere, typescript-eslint recommended for .ts,
// and the boundaries between the folders (README, "How it is built"): no import cycles, the
// generators and block data apart from the app, mqtt.js behind the runtime's transport.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** The page's parts: the studio's elements, the server, the message console, the virtual board. */
const PAGE_PARTS = ['./src/app', './src/server', './src/console', './src/board'];

export default defineConfig([
  globalIgnores([
    'dist/',
    'node_modules/',
    '.bench/',
    'test-results/',
    'test/golden/**',
    '**/*.generated.*',
  ]),
  {
    files: ['**/*.{js,mjs,cjs,ts}'],
    extends: [js.configs.recommended],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    rules: {
      // Same convention as tsc's noUnusedParameters: a leading underscore marks "unused on purpose".
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['**/*.{js,ts}'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      // Imports name their files with the extension (`./quote.ts`), as Node and Vite load them.
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js'] })],
    },
    rules: {
      // A cycle makes the order modules load in matter: one imported first meets the other half-made.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              // The command line generates too: from src/ only pure modules (OneNET's device and
              // token, the runtime contract the TypeScript calls, the MicroPython code blocks'
              // definition, which keeps their text, and the board parts' list).
              target: ['./generators', './blocks'],
              from: './src',
              except: [
                './onenet',
                './runtime/contract.ts',
                './editor/code-block.ts',
                './parts/index.ts',
              ],
              message:
                'Generators and blocks may use only src/onenet/, src/runtime/contract.ts, src/editor/code-block.ts and src/parts/index.ts.',
            },
            {
              // A part is pure but for its view, which only the virtual board draws.
              target: './src/parts',
              from: [
                ...PAGE_PARTS.filter((part) => part !== './src/board'),
                './src/editor',
                './src/run',
              ],
              message:
                'A board part (src/parts/) knows nothing of the studio, the editor or the Worker.',
            },
            {
              // What the generators may use stays as pure as they are.
              target: './src/onenet',
              from: [...PAGE_PARTS, './src/editor', './src/run'],
              message:
                'src/onenet/ is shared with the generators and the command line: no page parts.',
            },
            {
              target: './src/runtime',
              from: [...PAGE_PARTS.filter((part) => part !== './src/board'), './src/editor'],
              message: 'The runtime runs in the program Worker, apart from the page.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/**/*.{js,ts}', 'generators/**/*.ts', 'blocks/**/*.ts'],
    ignores: ['src/runtime/transport.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'mqtt', message: 'Only src/runtime/transport.ts imports mqtt.js.' }],
          patterns: [
            { group: ['mqtt/*'], message: 'Only src/runtime/transport.ts imports mqtt.js.' },
          ],
        },
      ],
    },
  },
]);
