import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// The direction of imports is the architecture (see src/*/CONTEXT.md): core is pure and imports
// nothing of the app; runtime is the only place that imports TF.js values; ui never reaches into
// the runtime except through the worker client.
const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'dist-bench/',
      'dist-e2e/',
      'node_modules/',
      'public/',
      'test-results/',
      'playwright-report/',
      'e2e-artifacts/',
      'runs/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'max-lines': ['warn', { max: 400, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ['src/**/*.tsx', 'src/ui/**/*.ts', 'src/state/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: restrict([
      {
        group: ['react', 'react-dom', '@xyflow/*', 'immer'],
        message: 'core is pure: no UI or state libraries.',
      },
      { group: ['@tensorflow/*'], allowTypeImports: true, message: 'core may import TF.js types only.' },
      {
        group: ['**/ui/**', '**/state/**', '**/runtime/**', '**/worker/**', '**/cli/**'],
        message: 'core imports nothing of the app.',
      },
    ]),
  },
  {
    files: ['src/runtime/**/*.ts'],
    rules: restrict([
      { group: ['react', 'react-dom', '@xyflow/*'], message: 'runtime has no UI.' },
      {
        group: ['**/ui/**', '**/state/**', '**/cli/**', '**/worker/**'],
        message: 'runtime depends on core only.',
      },
    ]),
  },
  {
    files: ['src/state/**/*.ts', 'src/ui/**/*.ts', 'src/ui/**/*.tsx'],
    rules: restrict([
      { group: ['@tensorflow/*'], message: 'TF.js lives in the worker and runtime, never on the UI thread.' },
      {
        group: ['**/runtime/**', '**/cli/**'],
        message: 'the UI talks to the runtime through the worker client.',
      },
    ]),
  },
);
