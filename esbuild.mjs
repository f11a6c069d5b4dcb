// Build: esbuild bundles for the extension host, the CLI, the emulator,
// the webview scripts (browser) and the integration suites. `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { readdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // kubo-rpc-client and its dependencies are ESM with package "exports" conditions.
  mainFields: ['module', 'main'],
  conditions: ['node', 'import', 'default'],
};

const webviewDir = join(root, 'src', 'webviews', 'ui');
const webviewEntries = existsSync(webviewDir)
  ? readdirSync(webviewDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.startsWith('_')).map((f) => join(webviewDir, f))
  : [];

const integrationDir = join(root, 'test', 'integration');
const integrationEntries = existsSync(integrationDir)
  ? readdirSync(integrationDir).filter((f) => f.endsWith('.test.ts')).map((f) => join(integrationDir, f))
  : [];

/**
 * kubo-rpc-client (~0.5 MB bundled) is its own file, dist/kubo.js: the extension's `import('kubo-rpc-client')`
 * becomes a require of it on the first IPFS call, so activation does not load it (esbuild splits only ESM output).
 */
const kuboChunk = {
  name: 'kubo-chunk',
  setup(build) {
    build.onResolve({ filter: /^kubo-rpc-client$/ }, () => ({ path: './kubo.js', external: true }));
  },
};

const configs = [
  { ...node, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [kuboChunk] },
  { ...node, entryPoints: { kubo: 'kubo-rpc-client' }, outdir: 'dist' },
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js' },
  { ...node, entryPoints: ['emulator/main.ts'], outfile: 'dist/emulator.js' },
  ...(webviewEntries.length
    ? [{ bundle: true, platform: 'browser', target: 'es2022', format: 'iife', sourcemap: !production, minify: production,
      logLevel: 'warning', entryPoints: webviewEntries, outdir: 'dist/webviews' }]
    : []),
  ...(integrationEntries.length && !production
    ? [{ ...node, entryPoints: integrationEntries, outdir: 'out/integration', external: ['vscode', 'mocha'] }]
    : []),
];

if (watch) {
  for (const config of configs) await (await esbuild.context(config)).watch();
} else {
  await Promise.all(configs.map((config) => esbuild.build(config)));
}
