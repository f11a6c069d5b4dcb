// ESLint flat config: typescript-eslint on every TypeScript source, with the house rules.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** An import of the emulator from the extension's code, by a relative path or from the repository root. */
const EMULATOR_IMPORT = { regex: '^(\\./)*(\\.\\./)+emulator(/|$)|^emulator/', message: 'The extension never imports the emulator (it is not shipped, and must stay independent).' };

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', '.cache/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['src/api/**/*.ts', 'src/transfer/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/api and src/transfer stay plain Node: no vscode import.' }], patterns: [EMULATOR_IMPORT] }],
    },
  },
  // The emulator stands for services we do not control: it shares no code with the extension, either way.
  {
    files: ['emulator/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^(\\./)*(\\.\\./)+src(/|$)|^src/', message: 'The emulator is written from the documents: it imports nothing from src/.' }] }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/api/**/*.ts', 'src/transfer/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [EMULATOR_IMPORT] }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly', __dirname: 'readonly', require: 'readonly', module: 'writable', fetch: 'readonly', setInterval: 'readonly', clearInterval: 'readonly' } },
  },
);
