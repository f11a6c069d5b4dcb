// `npm test` stage "package": builds the .vsix with @vscode/vsce (production bundle), installs it into
// a fresh code-server extensions folder, and checks what was installed; then restores the dev build.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { codeServerDir } from './ensure-tools.mjs';
import { log, repoRoot, run } from './lib/proc.mjs';

/** Starts the installed extension's emulator the way Start Local Emulator does (free port, sample data) and asks its health. */
async function emulatorAnswers(script, dataDir) {
  const child = spawn(process.execPath, [script, 'emulator', '--port', '0', '--seed', '--data', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk) => {
        out += chunk;
        const match = /listening on (http:\/\/\S+)/.exec(out);
        if (match) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`the installed dist/emulator.js exited (${code}) before it listened`)));
    });
    const health = await (await fetch(`${url}/_emulator/health`)).json();
    if (health.ok !== true) throw new Error(`the installed emulator's health: ${JSON.stringify(health)}`);
  } finally {
    child.kill('SIGTERM');
  }
}

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
  // …and every walkthrough step's media.
  const walkthroughMedia = (pkg.contributes.walkthroughs ?? []).flatMap((w) => w.steps.map((s) => s.media?.markdown ?? s.media?.image)).filter((p) => typeof p === 'string');
  // dist/emulator.js: Start Local Emulator runs it from the installed extension.
  const expected = ['package.json', 'package.nls.json', 'package.nls.zh-cn.json', 'l10n/bundle.l10n.zh-cn.json', 'dist/extension.js', 'dist/emulator.js', 'media/webview.css', 'dist/webviews/jobEditor.js', ...contributed, ...walkthroughMedia];
  const missing = expected.filter((file) => !existsSync(join(installed, file)));
  if (missing.length) throw new Error(`the installed extension lacks ${missing.join(', ')} (in ${installed})`);
  for (const unwanted of ['src', 'emulator', 'test', 'node_modules', 'dist/cli.js']) {
    if (existsSync(join(installed, unwanted))) throw new Error(`the .vsix ships ${unwanted}, which .vscodeignore should leave out`);
  }
  await emulatorAnswers(join(installed, 'dist', 'emulator.js'), join(scratch, 'emulator-data'));
  log('package', `the .vsix installs into code-server: ${installed}; its emulator starts and answers`);
  console.log('1 passed, 0 failed');
} finally {
  rmSync(scratch, { recursive: true, force: true });
  // vsce ran the production build; put the development build (with source maps) back.
  await run(process.execPath, ['esbuild.mjs'], { cwd: repoRoot });
}
