// ESLint flat config: typescript-eslint on every TypeScript source, with the house rules, and the house format
// (@stylistic: `npm run format` applies it; `npm run lint`, a stage of `npm test`, fails on any line off it).
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import tseslint from 'typescript-eslint';

/** An import of the emulator from the extension's code, by a relative path or from the repository root. */
const EMULATOR_IMPORT = { regex: '^(\\./)*(\\.\\./)+emulator(/|$)|^emulator/', message: 'The extension never imports the emulator (it is not shipped, and must stay independent).' };

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', '.cache/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // The format the code is written in (no long-line rule: a long line that reads as one thought stays one line).
  {
    files: ['**/*.ts', '**/*.mjs', '**/*.js'],
    plugins: { '@stylistic': stylistic },
    rules: {
      '@stylistic/indent': ['error', 2, { SwitchCase: 1, ignoredNodes: ['TemplateLiteral *', 'ConditionalExpression'] }],
      '@stylistic/quotes': ['error', 'single', { avoidEscape: true, allowTemplateLiterals: 'always' }],
      '@stylistic/semi': ['error', 'always'],
      '@stylistic/comma-dangle': ['error', 'always-multiline'],
      '@stylistic/no-trailing-spaces': 'error',
      '@stylistic/eol-last': 'error',
      '@stylistic/no-multiple-empty-lines': ['error', { max: 1, maxEOF: 0 }],
      '@stylistic/brace-style': ['error', '1tbs', { allowSingleLine: true }],
      '@stylistic/object-curly-spacing': ['error', 'always'],
      '@stylistic/array-bracket-spacing': ['error', 'never'],
      '@stylistic/space-before-blocks': 'error',
      '@stylistic/keyword-spacing': 'error',
      '@stylistic/space-infix-ops': 'error',
      '@stylistic/comma-spacing': 'error',
      '@stylistic/key-spacing': 'error',
      '@stylistic/arrow-spacing': 'error',
      '@stylistic/no-tabs': 'error',
      '@stylistic/member-delimiter-style': 'error',
      '@stylistic/type-annotation-spacing': 'error',
      '@stylistic/space-before-function-paren': ['error', { anonymous: 'always', named: 'never', asyncArrow: 'always' }],
      '@stylistic/linebreak-style': ['error', 'unix'],
    },
  },
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
  // The pages run in the webview: no vscode, no Node (their tsconfig, src/webviews/ui/tsconfig.json, has DOM types only).
  {
    files: ['src/webviews/ui/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'A page runs in the webview: it talks to the host through its message schema.' }],
        patterns: [EMULATOR_IMPORT, { regex: '^node:', message: 'A page runs in the webview (a browser): no Node modules.' }],
      }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly', __dirname: 'readonly', require: 'readonly', module: 'writable', fetch: 'readonly', setInterval: 'readonly', clearInterval: 'readonly' } },
  },
);
