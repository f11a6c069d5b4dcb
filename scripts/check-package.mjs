// `npm test` stage "package": builds the .vsix with @vscode/vsce (production bundle), installs it into
// a fresh code-server extensions folder, and checks what was installed; then restores the dev build.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codeServerDir } from './ensure-tools.mjs';
import { log, repoRoot, run } from './lib/proc.mjs';

const scratch = mkdtempSync(join(tmpdir(), 'datahub-vsix-'));
try {
  const vsix = join(scratch, 'datahub-vscode.vsix');
  await run(process.execPath, [join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--no-rewrite-relative-links', '--allow-missing-repository', '-o', vsix], { cwd: repoRoot });
  const extensionsDir = join(scratch, 'extensions');
  await run(process.execPath, [join(codeServerDir(), 'out', 'node', 'entry.js'), '--extensions-dir', extensionsDir, '--user-data-dir', join(scratch, 'user-data'), '--install-extension', vsix], { cwd: scratch });
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  const installed = join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
  // Every grammar and language configuration the manifest names ships too (else the language has no colours).
  const contributed = [...(pkg.contributes.grammars ?? []).map((g) => g.path), ...(pkg.contributes.languages ?? []).map((l) => l.configuration)].filter(Boolean).map((p) => p.replace(/^\.\//, ''));
  const expected = ['package.json', 'package.nls.json', 'package.nls.zh-cn.json', 'l10n/bundle.l10n.zh-cn.json', 'dist/extension.js', 'media/webview.css', 'dist/webviews/jobEditor.js', ...contributed];
  const missing = expected.filter((file) => !existsSync(join(installed, file)));
  if (missing.length) throw new Error(`the installed extension lacks ${missing.join(', ')} (in ${installed})`);
  for (const unwanted of ['src', 'emulator', 'test', 'node_modules', 'dist/cli.js', 'dist/emulator.js']) {
    if (existsSync(join(installed, unwanted))) throw new Error(`the .vsix ships ${unwanted}, which .vscodeignore should leave out`);
  }
  log('package', `the .vsix installs into code-server: ${installed}`);
  console.log('1 passed, 0 failed');
} finally {
  rmSync(scratch, { recursive: true, force: true });
  // vsce ran the production build; put the development build (with source maps) back.
  await run(process.execPath, ['esbuild.mjs'], { cwd: repoRoot });
}
