// Renders media/icon.svg to media/icon.png (128×128, the Marketplace icon) with the Chromium the tools stage
// installs. Run after editing the SVG: node scripts/render-icon.mjs
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { repoRoot } from './lib/proc.mjs';

const svg = readFileSync(join(repoRoot, 'media', 'icon.svg'), 'utf8');
const scratch = mkdtempSync(join(tmpdir(), 'datahub-icon-'));
try {
  const page = join(scratch, 'icon.html');
  writeFileSync(page, `<!doctype html><html><body style="margin:0;background:transparent">${svg}</body></html>`);
  execFileSync('chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--default-background-color=00000000',
    `--screenshot=${join(repoRoot, 'media', 'icon.png')}`, '--window-size=128,128', `file://${page}`], { stdio: 'inherit' });
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
